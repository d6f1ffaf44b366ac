// API clients: credentials for the authority's own systems to call the hub. The secret is shown once,
// when the client is made; revoking one stops its tokens at once.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  Button,
  Loading,
  NotificationBanner,
  ProblemText,
  Radios,
  Table,
  Tag,
  TextInput,
  WarningText,
} from '../../components/govuk.js';
import { formatDateTime } from '../../format.js';
import { useSession, type Role } from '../../session.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { AdminBack, Confirm, CopyableText, failLabelled, ROLE_OPTIONS, roleName } from './parts.js';

type Client = Outputs['clients']['list'][number];
type Created = Outputs['clients']['create'];

export const ClientsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const clients = useQuery(trpc.clients.list.queryOptions({}));
  const form = useHubForm<{ name: string; role: string }>('admin-client', { name: '', role: '' });
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<Client | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.clients.list.queryFilter());

  const create = useMutation(
    trpc.clients.create.mutationOptions({
      onSuccess: (answer) => {
        form.reset({ name: '', role: '' });
        setBanner(null);
        setCreated(answer);
        void refresh();
      },
      onError: failLabelled(form, { name: 'Name', role: 'Role' }),
    }),
  );
  const revoke = useMutation(
    trpc.clients.revoke.mutationOptions({
      onSuccess: (c) => {
        setRevoking(null);
        setCreated(null);
        form.clearProblem();
        setBanner(`${c.name} is revoked: its tokens no longer work, and it cannot get new ones.`);
        void refresh();
      },
      onError: (error) => {
        setRevoking(null);
        form.fail(error);
      },
    }),
  );

  if (revoking)
    return (
      <Confirm
        heading={`Revoke ${revoking.name}?`}
        warning="Every system using this client stops working at once: its tokens are refused from now on. This cannot be undone."
        confirmText={`Yes, revoke ${revoking.name}`}
        onConfirm={() => revoke.mutate({ id: revoking.id })}
        onCancel={() => setRevoking(null)}
        busy={revoke.isPending}
      >
        <p className="govuk-body">
          Client id <code>{revoking.id}</code>, {roleName(revoking.role).toLowerCase()}.
        </p>
      </Confirm>
    );

  const submit = () => {
    const missing = [
      !form.values.name.trim() ? { path: 'name', message: 'Enter a name for the client' } : null,
      !form.values.role ? { path: 'role', message: 'Choose what the client may do' } : null,
    ].filter((x) => x !== null);
    if (missing.length > 0) return form.failWith(missing);
    form.clearProblem();
    create.mutate({ name: form.values.name, role: form.values.role as Role });
  };

  return (
    <>
      <AdminBack />
      {banner ? (
        <NotificationBanner success title="Done">
          <p className="govuk-notification-banner__heading">{banner}</p>
        </NotificationBanner>
      ) : null}
      {created ? (
        <>
          <NotificationBanner success title="API client made">
            <p className="govuk-notification-banner__heading">
              {created.client.name} can now get tokens from the hub.
            </p>
          </NotificationBanner>
          <WarningText>
            Copy the secret now and keep it in your system’s secret store. It will not be shown again: if it
            is lost, make a new client and revoke this one.
          </WarningText>
          <CopyableText id="client-id" label="Client id" value={created.client.id} />
          <CopyableText id="client-secret" label="Client secret" value={created.clientSecret} />
        </>
      ) : null}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{me.authority.name}</span>
        API clients
      </h1>
      <p className="govuk-body">
        Each client is one system that calls the hub (with OAuth client credentials). Give each its own, with
        the least role it needs.
      </p>
      {clients.isPending ? (
        <Loading what="API clients" />
      ) : clients.error ? (
        <ProblemText
          message={hubErrorOf(clients.error).message}
          requestId={hubErrorOf(clients.error).requestId}
        />
      ) : clients.data.length === 0 ? (
        <p className="govuk-body">Your authority has no API clients yet.</p>
      ) : (
        <Table
          caption="Your API clients"
          head={['Name', 'Client id', 'Role', 'Status', 'Last used', 'Action']}
          rows={clients.data.map((c) => ({
            key: c.id,
            cells: [
              c.name,
              <code key="id">{c.id}</code>,
              roleName(c.role),
              c.status === 'active' ? (
                <Tag colour="green" key="s">
                  Active
                </Tag>
              ) : (
                <Tag colour="grey" key="s">
                  Revoked
                </Tag>
              ),
              c.lastUsedAt ? formatDateTime(c.lastUsedAt) : 'Never',
              c.status === 'active' ? (
                <Button kind="secondary" type="button" key="a" onClick={() => setRevoking(c)}>
                  Revoke<span className="govuk-visually-hidden"> {c.name}</span>
                </Button>
              ) : c.revokedAt ? (
                `Revoked ${formatDateTime(c.revokedAt)}`
              ) : (
                ''
              ),
            ],
          }))}
        />
      )}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Form onSubmit={submit} problem={form.problem} fields={['name', 'role']} label="Make an API client">
            <h2 className="govuk-heading-m">Make an API client</h2>
            <TextInput
              id="name"
              label="Name"
              hint="What it is for, such as “Case management system”."
              value={form.values.name}
              onChange={(v) => form.set('name', v)}
              error={form.errorFor('name')}
              autoComplete="off"
            />
            <Radios
              id="role"
              legend="What may it do?"
              options={ROLE_OPTIONS}
              value={form.values.role}
              onChange={(v) => form.set('role', v)}
              error={form.errorFor('role')}
            />
            <Button disabled={create.isPending}>Make API client</Button>
          </Form>
        </div>
      </div>
    </>
  );
};
