// The directory the host authority keeps: search providers and settings, add a provider; each
// provider links to adding a setting of its own, each setting to changing it.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Table,
  TextInput,
} from '../../components/govuk.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import { hubErrorOf, useTRPC } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { TYPE_NAMES } from './labels.js';

const LIMIT = 25;
const EMPTY_PROVIDER = { name: '', companyNumber: '' };

export const DirectoryPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  // Back and forward move between searches: the box shows the search on the page.
  useEffect(() => setTyped(q), [q]);
  const query = q.trim() ? { q: q.trim(), limit: LIMIT } : { limit: LIMIT };
  const providers = useQuery(trpc.providers.search.queryOptions(query));
  const settings = useQuery(trpc.provisions.search.queryOptions(query));
  const form = useHubForm('hub:provider-new', EMPTY_PROVIDER);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);
  const create = useMutation(
    trpc.providers.create.mutationOptions({
      onSuccess: (p) => {
        form.reset(EMPTY_PROVIDER);
        setAdded({ id: p.id, name: p.name });
        void queryClient.invalidateQueries(trpc.providers.search.queryFilter());
      },
      onError: (e) => {
        setAdded(null);
        form.fail(e);
      },
    }),
  );
  const v = form.values;

  return (
    <>
      <BackLink to="/partnership">Partnership</BackLink>
      <PageHeading caption="Partnership">Providers and settings</PageHeading>
      {added ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            {added.name} is in the directory.{' '}
            <Link
              to={`/partnership/directory/new-setting?providerId=${added.id}`}
              className="govuk-notification-banner__link"
            >
              Add a setting for {added.name}
            </Link>
          </p>
        </NotificationBanner>
      ) : null}

      <form
        role="search"
        aria-label="Providers and settings"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          navigate(
            typed.trim()
              ? `/partnership/directory?q=${encodeURIComponent(typed.trim())}`
              : '/partnership/directory',
          );
        }}
      >
        <TextInput
          id="q"
          label="Search by name"
          hint="Part of a provider’s or a setting’s name"
          type="search"
          value={typed}
          onChange={setTyped}
          width="20"
        />
        <Button kind="secondary">Search</Button>
      </form>

      <h2 className="govuk-heading-m">Settings</h2>
      {settings.isPending ? (
        <Loading what="settings" />
      ) : settings.isError ? (
        <ProblemText {...hubErrorOf(settings.error)} />
      ) : settings.data.items.length === 0 ? (
        <p className="govuk-body">No setting’s name matches “{q}”.</p>
      ) : (
        <Table
          caption={q ? `Settings matching “${q}”` : `The first ${settings.data.items.length} settings`}
          head={['Setting', 'Type', 'Provider', 'Host authority', 'Action']}
          rows={settings.data.items.map((s) => ({
            key: s.id,
            cells: [
              <>
                {s.name}
                <br />
                <span className="govuk-body-s">{s.urn ?? 'No URN'}</span>
              </>,
              TYPE_NAMES[s.type],
              s.provider?.name ?? s.providerId,
              s.hostAuthority?.name ?? s.hostAuthorityId,
              // Named in full for a screen reader's list of links (a hidden span inside a scrolling
              // table would push the page sideways at 320 px).
              <Link to={`/partnership/directory/settings/${s.id}`} aria-label={`Change ${s.name}`}>
                Change
              </Link>,
            ],
          }))}
        />
      )}

      <h2 className="govuk-heading-m">Providers</h2>
      {providers.isPending ? (
        <Loading what="providers" />
      ) : providers.isError ? (
        <ProblemText {...hubErrorOf(providers.error)} />
      ) : providers.data.items.length === 0 ? (
        <p className="govuk-body">No provider’s name matches “{q}”.</p>
      ) : (
        <Table
          caption={q ? `Providers matching “${q}”` : `The first ${providers.data.items.length} providers`}
          head={['Provider', 'Company number', 'Action']}
          rows={providers.data.items.map((p) => ({
            key: p.id,
            cells: [
              p.name,
              p.companyNumber ?? 'None recorded',
              <Link
                to={`/partnership/directory/new-setting?providerId=${p.id}`}
                aria-label={`Add a setting for ${p.name}`}
              >
                Add a setting
              </Link>,
            ],
          }))}
        />
      )}

      <h2 className="govuk-heading-m govuk-!-margin-top-6">Add a provider</h2>
      <Form
        onSubmit={() =>
          create.mutate({
            name: v.name,
            ...(v.companyNumber.trim() ? { companyNumber: v.companyNumber.trim() } : {}),
          })
        }
        problem={form.problem}
        fields={['name', 'companyNumber']}
        label="Add a provider"
      >
        <TextInput
          id="name"
          label="Provider’s name"
          value={v.name}
          onChange={(x) => form.set('name', x)}
          error={form.errorFor('name')}
        />
        <TextInput
          id="companyNumber"
          label="Companies House number (optional)"
          hint="8 characters, such as 01234567 or SC123456"
          value={v.companyNumber}
          onChange={(x) => form.set('companyNumber', x)}
          error={form.errorFor('companyNumber')}
          width="10"
          spellCheck={false}
        />
        <Button disabled={create.isPending}>Add provider</Button>
      </Form>
    </>
  );
};
