// The partnership landing page: what the hub admin looks after, a link and a line each.
import { PageHeading } from '../../components/govuk.js';
import { Link } from '../../navigation.js';
import { useSession } from '../../session.js';
import type { PageProps } from '../../route-kit.js';

const SECTIONS = [
  {
    to: '/partnership/authorities',
    text: 'Member authorities',
    about: 'The councils in the partnership: add one, or change one’s details or membership status.',
  },
  {
    to: '/partnership/directory',
    text: 'Providers and settings',
    about: 'The directory the host authority keeps: find, add and change providers and their settings.',
  },
  {
    to: '/partnership/corrections',
    text: 'Corrections of the directory',
    about: 'Corrections members proposed to a setting’s facts: accept or decline each, with a note.',
  },
  {
    to: '/partnership/merge',
    text: 'Merge two settings',
    about: 'A setting entered twice: preview what would move to the one that survives, then merge.',
  },
  {
    to: '/partnership/allocations',
    text: 'Lead authorities',
    about: 'Who monitors which setting: assign a lead, or preview and apply automatic allocation.',
  },
  {
    to: '/partnership/frequencies',
    text: 'How often settings are monitored',
    about:
      'Months between visits per type of setting, and how much a poor grade or a new manager shortens them.',
  },
  {
    to: '/partnership/risk-bands',
    text: 'Risk bands for concerns',
    about: 'How many concerns in 12 months make a setting’s or a provider’s risk rating medium or high.',
  },
  {
    to: '/partnership/monitoring',
    text: 'Monitoring report',
    about: 'Visits made in time and out of time by each lead authority, and what is overdue now.',
  },
];

export const PartnershipPage = (_: PageProps) => {
  const { me } = useSession();
  return (
    <>
      <PageHeading caption={me.authority.name}>Running the partnership</PageHeading>
      <p className="govuk-body-l">
        As the hub admin you keep the partnership’s members, its directory of settings and who leads on each.
      </p>
      <ul className="govuk-list">
        {SECTIONS.map((s) => (
          <li key={s.to} className="govuk-!-margin-bottom-6">
            <h2 className="govuk-heading-m govuk-!-margin-bottom-1">
              <Link to={s.to}>{s.text}</Link>
            </h2>
            <p className="govuk-body">{s.about}</p>
          </li>
        ))}
      </ul>
    </>
  );
};
