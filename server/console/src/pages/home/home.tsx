// Home: the work of this person's day, by role.
import { Link } from '../../navigation.js';
import { ROLE_NAMES, useSession, type Role } from '../../session.js';
import { useNotifications } from '../../notifications.js';
import type { PageProps } from '../../route-kit.js';

type Task = { to: string; text: string; about: string; minRole: Role };

const TASKS: { heading: string; tasks: Task[] }[] = [
  {
    heading: 'Placing a child',
    tasks: [
      {
        to: '/settings',
        text: 'Find a setting',
        about: 'By name, URN, provider or area: its verdict, and every reason for it.',
        minRole: 'viewer',
      },
      {
        to: '/shortlist',
        text: 'Check a shortlist',
        about: 'Paste URNs or upload a CSV: a verdict for each, to download.',
        minRole: 'viewer',
      },
    ],
  },
  {
    heading: 'Monitoring settings',
    tasks: [
      {
        to: '/my-settings',
        text: 'My settings',
        about: 'The settings your authority leads on, with visits due and overdue.',
        minRole: 'officer',
      },
      {
        to: '/notifications',
        text: 'Notifications',
        about: 'What has changed at the settings you may know about, live.',
        minRole: 'viewer',
      },
    ],
  },
  {
    heading: 'Running your authority on ccx',
    tasks: [
      {
        to: '/admin',
        text: 'Administration',
        about: 'People, API clients, webhooks, placements, audit and sign-in settings.',
        minRole: 'admin',
      },
    ],
  },
  {
    heading: 'Running the partnership',
    tasks: [
      {
        to: '/partnership',
        text: 'Partnership',
        about: 'Member authorities, the directory, allocations and the monitoring report.',
        minRole: 'hub-admin',
      },
    ],
  },
];

export const HomePage = (_: PageProps) => {
  const { person, me, can } = useSession();
  const { unread } = useNotifications();
  return (
    <>
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{me.authority.name}</span>
        Hello, {person.name}
      </h1>
      <p className="govuk-body-l">
        You are signed in as {ROLE_NAMES[person.role] === 'viewer' ? 'a' : 'an'} {ROLE_NAMES[person.role]}.
        {unread.length > 0 ? (
          <>
            {' '}
            <Link to="/notifications">
              {unread.length === 1 ? '1 notification' : `${unread.length} notifications`} you have not seen
            </Link>
            .
          </>
        ) : null}
      </p>
      {TASKS.map((group) => {
        const tasks = group.tasks.filter((t) => can(t.minRole));
        if (tasks.length === 0) return null;
        return (
          <section key={group.heading} className="govuk-!-margin-bottom-6">
            <h2 className="govuk-heading-m">{group.heading}</h2>
            <ul className="govuk-list">
              {tasks.map((t) => (
                <li key={t.to} className="govuk-!-margin-bottom-4">
                  <Link
                    to={t.to}
                    className="govuk-link govuk-link--no-visited-state govuk-!-font-weight-bold"
                  >
                    {t.text}
                  </Link>
                  <p className="govuk-body govuk-!-margin-bottom-0">{t.about}</p>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
};
