// Pieces the quality journey's pages share: a setting named from its id, "Why can I see this?", a
// success banner carried across a page change, and date checks made before asking the hub.
import { useQuery } from '@tanstack/react-query';
import { Details, NotificationBanner } from '../../components/govuk.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import { useTRPC } from '../../trpc.js';

/** A setting's name and URN, from its id ("Oak House (SC123456)"), or null while unknown. */
export const useSettingName = (provisionId: string | null | undefined): string | null => {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.provisions.get.queryOptions({ id: provisionId ?? '' }),
    enabled: Boolean(provisionId),
    staleTime: 60_000,
  });
  if (!q.data) return null;
  return q.data.urn ? `${q.data.name} (URN ${q.data.urn})` : q.data.name;
};

export const useProviderName = (providerId: string | null | undefined): string | null => {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.providers.get.queryOptions({ id: providerId ?? '' }),
    enabled: Boolean(providerId),
    staleTime: 60_000,
  });
  return q.data?.name ?? null;
};

/** A link to a setting's own page, named by its name and URN. */
export const SettingLink = ({
  provision,
}: {
  provision: { id: string; name: string; urn: string | null } | null | undefined;
}) =>
  provision ? (
    <Link to={`/settings/${provision.id}`}>
      {provision.name}
      {provision.urn ? ` (URN ${provision.urn})` : ''}
    </Link>
  ) : (
    <>a setting</>
  );

/** Why this authority sees a record at the layer it does: the hub's own explanation (access.explain). */
export const WhyCanISee = ({
  recordType,
  recordId,
}: {
  recordType: 'outcome' | 'restriction' | 'concern';
  recordId: string;
}) => {
  const trpc = useTRPC();
  const q = useQuery(trpc.access.explain.queryOptions({ recordType, recordId }));
  return (
    <Details summary="Why can I see this?">
      {q.data ? (
        <>
          <p className="govuk-body">{q.data.reason}</p>
          {q.data.bases.length > 0 ? (
            <ul className="govuk-list govuk-list--bullet">
              {q.data.bases.map((b) => (
                <li key={b.basis + b.because}>{b.because}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : q.error ? (
        <p className="govuk-body">The hub could not explain this just now: {q.error.message}</p>
      ) : (
        <p className="govuk-body">Asking the hub…</p>
      )}
    </Details>
  );
};

/**
 * A success banner named by `?done=` in the address (set by the page that sent the person here), so a
 * reload does not repeat it: closing it drops the parameter.
 */
export const DoneBanner = ({ messages }: { messages: Record<string, string> }) => {
  const done = useSearchParams().get('done');
  const text = done ? messages[done] : undefined;
  if (!text) return null;
  return (
    <NotificationBanner success>
      <h3 className="govuk-notification-banner__heading">{text}</h3>
      <p className="govuk-body">
        <a
          className="govuk-notification-banner__link"
          href={window.location.pathname}
          onClick={(e) => {
            e.preventDefault();
            navigate(window.location.pathname, { replace: true });
          }}
        >
          Hide this message
        </a>
      </p>
    </NotificationBanner>
  );
};

/** Whether "YYYY-MM-DD" names a real day. */
export const isRealDate = (value: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
};

/** A date field's problem in GOV.UK's words, or null: `required` says whether it may be left empty. */
export const dateProblem = (value: string, name: string, required: boolean): string | null => {
  if (!value) return required ? `Enter ${name}` : null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${capital(name)} must include a day, month and year`;
  if (!isRealDate(value)) return `${capital(name)} must be a real date`;
  return null;
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Today in London, as "YYYY-MM-DD". */
export const todayInLondon = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
