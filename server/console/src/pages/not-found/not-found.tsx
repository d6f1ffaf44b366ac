import { Link } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';

export const NotFoundPage = (_: PageProps) => (
  <>
    <h1 className="govuk-heading-l">Page not found</h1>
    <p className="govuk-body">If you typed the web address, check it is correct.</p>
    <p className="govuk-body">
      If you pasted the web address, check you copied the entire address. Or go to the{' '}
      <Link to="/">home page</Link>.
    </p>
  </>
);
