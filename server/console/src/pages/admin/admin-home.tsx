// Administration: every page an authority admin has, with a line on what each is for.
import { Link } from '../../navigation.js';
import { useSession } from '../../session.js';
import type { PageProps } from '../../route-kit.js';

export const ADMIN_PAGES: { to: string; text: string; about: string }[] = [
  {
    to: '/admin/people',
    text: 'People',
    about: 'Invite colleagues, change what each may do, and deactivate anyone who has left.',
  },
  {
    to: '/admin/clients',
    text: 'API clients',
    about:
      'Credentials for your case-management system or scripts to call the hub; revoke any you no longer use.',
  },
  {
    to: '/admin/webhooks',
    text: 'Webhooks',
    about: 'Have the hub tell your systems what changed, as it happens; test them and resend deliveries.',
  },
  {
    to: '/admin/placements',
    text: 'Our placements',
    about:
      'How many children you have placed at each setting; declare, end, or import the whole list from a CSV file.',
  },
  {
    to: '/admin/audit',
    text: 'Who read our records',
    about:
      'Other authorities’ reads of the records you published, your own actions, and a check that the trail is intact.',
  },
  {
    to: '/admin/sign-in',
    text: 'Sign-in settings',
    about: 'Let your people sign in with your council’s identity provider (such as Microsoft Entra ID).',
  },
];

export const AdminHomePage = (_: PageProps) => {
  const { me } = useSession();
  return (
    <>
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{me.authority.name}</span>
        Administration
      </h1>
      <p className="govuk-body-l">Run your authority’s use of the exchange.</p>
      <ul className="govuk-list">
        {ADMIN_PAGES.map((p) => (
          <li key={p.to} className="govuk-!-margin-bottom-4">
            <h2 className="govuk-heading-s govuk-!-margin-bottom-1">
              <Link to={p.to}>{p.text}</Link>
            </h2>
            <p className="govuk-body govuk-!-margin-bottom-0">{p.about}</p>
          </li>
        ))}
      </ul>
    </>
  );
};
