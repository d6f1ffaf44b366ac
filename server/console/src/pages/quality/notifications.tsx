// Notifications: what changed about settings this authority may know of, arriving live while the
// console is open (the hub's event feed), the unread ones first, then earlier events.
import { useQuery } from '@tanstack/react-query';
import { Button, Loading, PageHeading, ProblemText, Table, Tag } from '../../components/govuk.js';
import { formatDateTime } from '../../format.js';
import { Link } from '../../navigation.js';
import { useNotifications, type HubEvent } from '../../notifications.js';
import type { PageProps } from '../../route-kit.js';
import { hubErrorOf, useTRPC } from '../../trpc.js';
import { EVENT_TYPES } from './labels.js';
import { SettingLink } from './parts.js';

const EARLIER = 50;

const nameIn = (data: Record<string, unknown>, key: string): string | null => {
  const v = data[key];
  return v && typeof v === 'object' && 'name' in v && typeof v.name === 'string' ? v.name : null;
};

/** Who made the change, when the event says. */
const byWhom = (e: HubEvent): string | null =>
  nameIn(e.data, 'publisherAuthority') ??
  nameIn(e.data, 'issuerAuthority') ??
  nameIn(e.data, 'authority') ??
  nameIn(e.data, 'grantedByAuthority');

const recordLink = (e: HubEvent) => {
  if (!e.recordId) return null;
  if (e.recordType === 'outcome') return `/outcomes/${e.recordId}`;
  if (e.recordType === 'restriction') return `/restrictions/${e.recordId}`;
  return null;
};

const rowsOf = (events: HubEvent[]) =>
  events.map((e) => {
    const to = recordLink(e);
    const who = byWhom(e);
    const what = EVENT_TYPES[e.type] ?? e.type;
    return {
      key: e.id,
      cells: [
        <>
          {to ? <Link to={to}>{what}</Link> : what}
          {e.layer === 'signal' ? (
            <span className="govuk-body-s govuk-!-display-block">
              Restricted information: ask the publisher
            </span>
          ) : null}
        </>,
        e.provision ? (
          <SettingLink provision={e.provision} />
        ) : e.provider ? (
          `Every setting of ${e.provider.name}`
        ) : (
          'Not about one setting'
        ),
        who ?? '',
        formatDateTime(e.at),
      ],
    };
  });

const HEAD = ['What happened', 'Setting', 'By', 'When'];

export const NotificationsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const { unread, live, markAllRead } = useNotifications();
  const earlier = useQuery(trpc.events.list.queryOptions({ latest: EARLIER }));
  const unreadIds = new Set(unread.map((e) => e.id));
  const older = [...(earlier.data?.items ?? [])].reverse().filter((e) => !unreadIds.has(e.id));
  const n = unread.length;
  return (
    <>
      <PageHeading>Notifications</PageHeading>
      <p className="govuk-body">
        What changed about the settings your authority may know of: outcomes, restrictions, allocations and
        Ofsted changes.
      </p>
      <p className="govuk-body" data-testid="live-status">
        {live ? (
          <>
            <Tag colour="green">Live</Tag> New events appear here as they happen.
          </>
        ) : (
          <>
            <Tag colour="grey">Connecting</Tag> New events appear when the page reconnects to the hub.
          </>
        )}
      </p>
      <div role="status" aria-live="polite">
        <p className="govuk-body govuk-!-font-weight-bold" data-testid="unread-count">
          {n === 0
            ? 'You have no unread notifications'
            : `${n} unread ${n === 1 ? 'notification' : 'notifications'}`}
        </p>
      </div>
      {n > 0 ? (
        <>
          <Table caption="Unread, newest first" head={HEAD} rows={rowsOf(unread)} />
          <Button
            type="button"
            kind="secondary"
            onClick={() => {
              markAllRead();
              void earlier.refetch();
            }}
          >
            Mark all as read
          </Button>
        </>
      ) : null}
      <h2 className="govuk-heading-m">Earlier events</h2>
      {earlier.isPending ? (
        <Loading what="earlier events" />
      ) : earlier.error ? (
        <ProblemText
          message={hubErrorOf(earlier.error).message}
          requestId={hubErrorOf(earlier.error).requestId}
        />
      ) : older.length === 0 ? (
        <p className="govuk-body">No earlier events.</p>
      ) : (
        <Table caption={`The latest ${EARLIER} events, newest first`} head={HEAD} rows={rowsOf(older)} />
      )}
    </>
  );
};
