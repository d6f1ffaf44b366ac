// Who read our records: other authorities' reads of what this authority published, reads at the
// settings it leads or hosts, and its own actions — each with who did it, what, to which record,
// when — and whether the authority's hash-chained audit trail is intact.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Loading, NotificationBanner, ProblemText, Table, Tag } from '../../components/govuk.js';
import { formatDateTime } from '../../format.js';
import { Link, useSearchParams } from '../../navigation.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, type Inputs, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { AdminBack } from './parts.js';

type Scope = NonNullable<Inputs['audit']['list']['scope']>;
type Entry = Outputs['audit']['list']['items'][number];

const SCOPES: { value: Scope; text: string; about: string }[] = [
  {
    value: 'reads-of-my-records',
    text: 'Reads of our records',
    about:
      'Other authorities and their systems reading, listing or sharing the records your authority published.',
  },
  {
    value: 'reads-at-my-provisions',
    text: 'Reads at our settings',
    about: 'Other authorities reading records at the settings your authority leads on or hosts.',
  },
  { value: 'mine', text: 'Our own actions', about: 'Everything your people and your API clients did.' },
];

const VERBS: Record<string, string> = {
  read: 'Read',
  list: 'Listed',
  share: 'Shared access to',
  revoke: 'Revoked access to',
  create: 'Created',
  update: 'Changed',
  publish: 'Published',
  amend: 'Amended',
  withdraw: 'Withdrew',
  lift: 'Lifted',
  delete: 'Deleted',
  declare: 'Declared',
  end: 'Ended',
  import: 'Imported',
  prospective: 'Was granted pre-placement access to',
};

/** "restriction.list" → "Listed restrictions"; an action the page does not know is shown as the hub names it. */
export const actionWords = (action: string): string => {
  const dot = action.lastIndexOf('.');
  const thing = action.slice(0, dot).replace(/[-_]/g, ' ');
  const verb = VERBS[action.slice(dot + 1)];
  if (dot < 1 || !verb) return action;
  return `${verb} ${action.endsWith('.list') ? `${thing}s` : thing}`;
};

const Who = ({ e }: { e: Entry }) => {
  const name = e.person?.name ?? e.client?.name ?? e.personId ?? e.clientId ?? 'The hub';
  const kind = e.personId ? 'person' : e.clientId ? 'API client' : 'system';
  return (
    <>
      {name}
      <br />
      <span className="govuk-body-s">
        {kind}
        {e.authority ? `, ${e.authority.name}` : ''}
      </span>
    </>
  );
};

const Record = ({ e }: { e: Entry }) => {
  const settings = e.provisions ?? [];
  return (
    <>
      {e.recordType ? `${e.recordType}${e.recordIds.length > 1 ? ` (${e.recordIds.length})` : ''}` : '—'}
      {settings.length > 0 ? (
        <>
          <br />
          <span className="govuk-body-s">
            at {settings.map((p) => `${p.name}${p.urn ? ` (${p.urn})` : ''}`).join(', ')}
          </span>
        </>
      ) : null}
      {e.redacted ? (
        <>
          <br />
          <Tag colour="grey">Cut to what you may see</Tag>
        </>
      ) : null}
    </>
  );
};

export const AuditPage = (_: PageProps) => {
  const trpc = useTRPC();
  const { me } = useSession();
  const asked = useSearchParams().get('scope');
  const scope = SCOPES.find((s) => s.value === asked)?.value ?? 'reads-of-my-records';
  const [cursors, setCursors] = useState<{ scope: Scope; stack: string[] }>({ scope, stack: [] });
  const stack = cursors.scope === scope ? cursors.stack : [];
  const cursor = stack[stack.length - 1];
  const entries = useQuery(trpc.audit.list.queryOptions({ scope, limit: 50, ...(cursor ? { cursor } : {}) }));
  const verify = useQuery(trpc.audit.verify.queryOptions({}));
  const current = SCOPES.find((s) => s.value === scope)!;

  return (
    <>
      <AdminBack />
      {verify.data ? (
        verify.data.ok ? (
          <NotificationBanner success focus={false} title="Audit trail intact">
            <p className="govuk-notification-banner__heading">
              Your audit trail checks out: all {verify.data.entries} entries are present and unaltered
              {verify.data.head ? `, up to entry ${verify.data.head.seq}` : ''}.
            </p>
          </NotificationBanner>
        ) : (
          <NotificationBanner title="Audit trail broken">
            <p className="govuk-notification-banner__heading">
              Your audit trail does not check out
              {verify.data.firstBroken
                ? `: entry ${verify.data.firstBroken.seq} ${verify.data.firstBroken.reason}`
                : ''}
              . Tell your hub admin at once.
            </p>
          </NotificationBanner>
        )
      ) : verify.error ? (
        <ProblemText
          message={hubErrorOf(verify.error).message}
          requestId={hubErrorOf(verify.error).requestId}
        />
      ) : (
        <Loading what="the check of your audit trail" />
      )}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{me.authority.name}</span>
        Who read our records
      </h1>
      <nav aria-label="Audit views">
        <ul className="govuk-list">
          {SCOPES.map((s) => (
            <li key={s.value}>
              {s.value === scope ? (
                <strong aria-current="page">{s.text}</strong>
              ) : (
                <Link to={`/admin/audit?scope=${s.value}`}>{s.text}</Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <h2 className="govuk-heading-m">{current.text}</h2>
      <p className="govuk-body">{current.about}</p>
      {entries.isPending ? (
        <Loading what="the audit trail" />
      ) : entries.error ? (
        <ProblemText
          message={hubErrorOf(entries.error).message}
          requestId={hubErrorOf(entries.error).requestId}
        />
      ) : entries.data.items.length === 0 ? (
        <p className="govuk-body">Nothing yet.</p>
      ) : (
        <>
          <Table
            caption={`${stack.length === 0 ? 'Newest' : 'Older'} ${entries.data.items.length} entries, newest first`}
            head={['Who', 'What', 'Record', 'When', 'Basis']}
            rows={entries.data.items.map((e) => ({
              key: `${e.authorityId}-${e.seq}`,
              cells: [
                <Who e={e} key="who" />,
                actionWords(e.action),
                <Record e={e} key="rec" />,
                formatDateTime(e.at),
                e.basis ?? '—',
              ],
            }))}
          />
          <div className="govuk-button-group">
            {stack.length > 0 ? (
              <Button
                kind="secondary"
                type="button"
                onClick={() => setCursors({ scope, stack: stack.slice(0, -1) })}
              >
                Newer entries
              </Button>
            ) : null}
            {entries.data.nextCursor ? (
              <Button
                kind="secondary"
                type="button"
                onClick={() => setCursors({ scope, stack: [...stack, entries.data.nextCursor!] })}
              >
                Older entries
              </Button>
            ) : null}
          </div>
        </>
      )}
    </>
  );
};
