// Find a setting: by name or URN, provider, area (the host authority, grouped by region) and type. The
// search lives in the address (?q=…&provider=…&area=…&type=…&after=<cursor>), so back, refresh and a
// shared link all show the same results.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Form } from '../../components/form.js';
import { Button, Loading, PageHeading, Select, Table, TextInput } from '../../components/govuk.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import { hubErrorOf, useTRPC, type HubError, type Inputs, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { TYPE_WORDS, looksLikeUrn, words } from './labels.js';

const PAGE = 20;

const TYPES = [
  'childrens-home',
  'short-breaks-home',
  'secure-childrens-home',
  'independent-fostering-agency',
  'residential-special-school',
  'residential-family-centre',
  'supported-accommodation',
  'unregulated',
] as const satisfies readonly NonNullable<Inputs['provisions']['search']['type']>[];
type ProvisionType = (typeof TYPES)[number];

type Criteria = { q: string; provider: string; providerId: string; area: string; type: string };

const criteriaOf = (params: URLSearchParams): Criteria => ({
  q: params.get('q') ?? '',
  provider: params.get('provider') ?? '',
  providerId: params.get('providerId') ?? '',
  area: params.get('area') ?? '',
  type: params.get('type') ?? '',
});

const addressOf = (c: Partial<Criteria> & { after?: string }): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(c)) if (v && v.trim()) params.set(k, v.trim());
  const s = params.toString();
  return s ? `/settings?${s}` : '/settings';
};

const SearchForm = ({ criteria, problem }: { criteria: Criteria; problem: HubError | null }) => {
  const trpc = useTRPC();
  const [values, setValues] = useState(criteria);
  const authorities = useQuery({ ...trpc.authorities.list.queryOptions({}), staleTime: 300_000 });
  const set = (k: keyof Criteria, v: string) => setValues((x) => ({ ...x, [k]: v }));
  const errorFor = (path: string) => problem?.issues.find((i) => i.path === path)?.message;
  const areas = [...(authorities.data ?? [])]
    .filter((a) => !a.isHost)
    .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
  return (
    <Form
      label="Search for a setting"
      problem={problem}
      fields={['q', 'provider', 'hostAuthorityId', 'type']}
      onSubmit={() =>
        navigate(
          addressOf({
            q: values.q,
            provider: values.provider,
            // A provider chosen from a list stays chosen only while its name is the one searched.
            providerId: values.provider === criteria.provider ? criteria.providerId : '',
            area: values.area,
            type: values.type,
          }),
        )
      }
    >
      <TextInput
        id="q"
        label="Name or URN"
        hint="Part of the setting's name, or its Ofsted URN such as SC123456"
        value={values.q}
        onChange={(v) => set('q', v)}
        error={errorFor('q')}
        spellCheck={false}
        width="two-thirds"
      />
      <TextInput
        id="provider"
        label="Provider (optional)"
        hint="Part of the provider's name"
        value={values.provider}
        onChange={(v) => set('provider', v)}
        error={errorFor('provider')}
        spellCheck={false}
        width="two-thirds"
      />
      <Select
        id="hostAuthorityId"
        label="Area (optional)"
        hint="The local authority the setting is in, listed by region"
        value={values.area}
        onChange={(v) => set('area', v)}
        error={errorFor('hostAuthorityId')}
        options={[
          { value: '', label: 'Any area' },
          ...areas.map((a) => ({ value: a.id, label: `${words(a.region)}: ${a.name}` })),
        ]}
      />
      <Select
        id="type"
        label="Type of setting (optional)"
        value={values.type}
        onChange={(v) => set('type', v)}
        error={errorFor('type')}
        options={[
          { value: '', label: 'Any type' },
          ...TYPES.map((t) => ({ value: t, label: TYPE_WORDS[t] })),
        ]}
      />
      <Button>Search</Button>
    </Form>
  );
};

type ProviderPage = Outputs['providers']['search'];
type SettingPage = Outputs['provisions']['search'];

/** The hub's issues with their paths as this form names its fields. */
const asFormProblem = (error: unknown, rename: Record<string, string>): HubError => {
  const p = hubErrorOf(error);
  return { ...p, issues: p.issues.map((i) => ({ ...i, path: rename[i.path] ?? i.path })) };
};

/** Several providers match the name typed: the person chooses one. */
const ProviderChoice = ({ criteria, page }: { criteria: Criteria; page: ProviderPage }) => {
  if (page.items.length === 0)
    return (
      <p className="govuk-body" role="status">
        No provider&apos;s name contains “{criteria.provider}”. Check the spelling, or search by the
        setting&apos;s name or URN.
      </p>
    );
  return (
    <>
      <h3 className="govuk-heading-s">Choose a provider</h3>
      <p className="govuk-body" role="status">
        {page.items.length}
        {page.nextCursor ? ' or more' : ''} providers match “{criteria.provider}”.
      </p>
      <ul className="govuk-list">
        {page.items.map((p) => (
          <li key={p.id}>
            <Link to={addressOf({ ...criteria, providerId: p.id })}>
              {p.name}
              {p.companyNumber ? ` (company ${p.companyNumber})` : ''}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
};

const Results = ({
  criteria,
  providerId,
  after,
  page,
}: {
  criteria: Criteria;
  providerId: string | undefined;
  after: string | undefined;
  page: SettingPage;
}) => {
  const { items, nextCursor } = page;
  if (items.length === 0)
    return (
      <p className="govuk-body" role="status">
        {after ? 'There are no more settings.' : 'No setting matches your search.'}
      </p>
    );
  const here = { ...criteria, ...(providerId ? { providerId } : {}) };
  return (
    <>
      <p className="govuk-body" role="status">
        {after ? 'More settings' : items.length === 1 ? '1 setting found' : `${items.length} settings found`}
        {nextCursor ? `, showing the first ${items.length}` : ''}.
      </p>
      <Table
        caption="Settings"
        head={['Setting', 'URN', 'Provider', 'Type', 'Area']}
        rows={items.map((p) => ({
          key: p.id,
          cells: [
            <Link key="l" to={`/settings/${p.id}`}>
              {p.name}
            </Link>,
            p.urn ?? 'None',
            p.provider?.name ?? '',
            TYPE_WORDS[p.type],
            p.hostAuthority?.name ?? p.hostAuthorityId,
          ],
        }))}
      />
      {nextCursor || after ? (
        <nav className="govuk-pagination govuk-pagination--block" aria-label="Results pages">
          {after ? (
            <div className="govuk-pagination__prev">
              <Link className="govuk-link govuk-pagination__link" to={addressOf(here)}>
                <span className="govuk-pagination__link-title">
                  First page<span className="govuk-visually-hidden"> of results</span>
                </span>
              </Link>
            </div>
          ) : null}
          {nextCursor ? (
            <div className="govuk-pagination__next">
              <Link
                className="govuk-link govuk-pagination__link"
                rel="next"
                to={addressOf({ ...here, after: nextCursor })}
              >
                <span className="govuk-pagination__link-title">
                  Next page<span className="govuk-visually-hidden"> of results</span>
                </span>
              </Link>
            </div>
          ) : null}
        </nav>
      ) : null}
    </>
  );
};

export const FindSettingPage = (_: PageProps) => {
  const trpc = useTRPC();
  const params = useSearchParams();
  const criteria = criteriaOf(params);
  const after = params.get('after') ?? undefined;
  const searched = Boolean(criteria.q || criteria.provider || criteria.area || criteria.type);
  const key = [criteria.q, criteria.provider, criteria.area, criteria.type].join('\u0000');
  // A provider named but not yet chosen: the providers whose name contains it.
  const needProvider = Boolean(criteria.provider.trim() && !criteria.providerId);
  const providers = useQuery({
    ...trpc.providers.search.queryOptions({ q: criteria.provider.trim(), limit: 50 }),
    enabled: needProvider,
  });
  const providerId =
    criteria.providerId ||
    (providers.data?.items.length === 1 ? providers.data.items[0]!.id : undefined) ||
    undefined;
  const q = criteria.q.trim();
  const input: Inputs['provisions']['search'] = {
    limit: PAGE,
    ...(q ? (looksLikeUrn(q) ? { urn: q.toUpperCase() } : { q }) : {}),
    ...(providerId ? { providerId } : {}),
    ...(criteria.area ? { hostAuthorityId: criteria.area } : {}),
    ...(criteria.type ? { type: criteria.type as ProvisionType } : {}),
    ...(after ? { cursor: after } : {}),
  };
  const search = useQuery({
    ...trpc.provisions.search.queryOptions(input),
    enabled: searched && (!needProvider || Boolean(providerId)),
  });
  const problem = providers.error
    ? asFormProblem(providers.error, { q: 'provider' })
    : search.error
      ? asFormProblem(search.error, { urn: 'q' })
      : null;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <PageHeading>Find a setting</PageHeading>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <SearchForm key={key} criteria={criteria} problem={problem} />
          </div>
        </div>
        {!searched ? (
          <p className="govuk-body">Give a name, a URN, a provider, an area or a type to search.</p>
        ) : problem ? null : (
          <section aria-labelledby="results-heading">
            <h2 className="govuk-heading-m" id="results-heading">
              Results
            </h2>
            {needProvider && providers.isPending ? (
              <Loading what="providers" />
            ) : needProvider && providers.data && !providerId ? (
              <ProviderChoice criteria={criteria} page={providers.data} />
            ) : search.isPending ? (
              <Loading what="settings" />
            ) : search.data ? (
              <Results criteria={criteria} providerId={providerId} after={after} page={search.data} />
            ) : null}
          </section>
        )}
      </div>
    </div>
  );
};
