// Sign-in settings: the authority's own identity provider (OpenID Connect, such as Microsoft Entra
// ID). People at its allowed e-mail domains are sent there to sign in. The client secret is write-only:
// never shown, kept when left empty.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  Button,
  InsetText,
  Loading,
  NotificationBanner,
  ProblemText,
  Radios,
  SummaryList,
  Textarea,
  TextInput,
} from '../../components/govuk.js';
import { formatDateTime } from '../../format.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { AdminBack, Confirm, failLabelled } from './parts.js';

type Provider = NonNullable<Outputs['identityProviders']['get']>;
type Values = {
  issuer: string;
  clientId: string;
  allowedDomains: string;
  createUnknown: string;
  defaultRole: string;
};

const LABELS = {
  issuer: 'Issuer URL',
  clientId: 'Client id',
  clientSecret: 'Client secret',
  allowedDomains: 'Email domains',
  createUnknown: 'Unknown people',
  defaultRole: 'Role for new people',
};

const valuesOf = (p: Provider | null): Values => ({
  issuer: p?.issuer ?? '',
  clientId: p?.clientId ?? '',
  allowedDomains: p?.allowedDomains.join('\n') ?? '',
  createUnknown: p ? (p.createUnknown ? 'yes' : 'no') : 'no',
  defaultRole: p?.defaultRole === 'officer' ? 'officer' : 'viewer',
});

export const SignInSettingsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const { me } = useSession();
  const provider = useQuery(trpc.identityProviders.get.queryOptions({}));
  return (
    <>
      <AdminBack />
      {provider.isPending ? (
        <>
          <h1 className="govuk-heading-l">Sign-in settings</h1>
          <Loading what="your sign-in settings" />
        </>
      ) : provider.error ? (
        <>
          <h1 className="govuk-heading-l">Sign-in settings</h1>
          <ProblemText
            message={hubErrorOf(provider.error).message}
            requestId={hubErrorOf(provider.error).requestId}
          />
        </>
      ) : (
        <ProviderForm provider={provider.data} authorityName={me.authority.name} />
      )}
    </>
  );
};

const ProviderForm = ({ provider, authorityName }: { provider: Provider | null; authorityName: string }) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm<Values>('admin-identity-provider', valuesOf(provider));
  // The secret is never kept in storage, nor shown once typed and saved.
  const [secret, setSecret] = useState('');
  const [banner, setBanner] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries(trpc.identityProviders.get.queryFilter());

  const save = useMutation(
    trpc.identityProviders.set.mutationOptions({
      onSuccess: (p) => {
        form.reset(valuesOf(p));
        setSecret('');
        setBanner(`Saved. People at ${p.allowedDomains.join(', ')} now sign in with your identity provider.`);
        void refresh();
      },
      onError: failLabelled(form, LABELS),
    }),
  );
  const remove = useMutation(
    trpc.identityProviders.remove.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        form.done();
        form.replace(valuesOf(null));
        setBanner('Removed. Your people sign in with a password and an authenticator app, or a passkey.');
        void refresh();
      },
      onError: (error) => {
        setConfirming(false);
        form.fail(error);
      },
    }),
  );

  if (confirming && provider)
    return (
      <Confirm
        heading="Remove your identity provider?"
        warning="People who sign in only through it will not be able to sign in until they are invited to set a password."
        confirmText="Yes, remove it"
        onConfirm={() => remove.mutate({})}
        onCancel={() => setConfirming(false)}
        busy={remove.isPending}
      >
        <p className="govuk-body ccx-secret">{provider.issuer}</p>
      </Confirm>
    );

  const submit = () => {
    const domains = form.values.allowedDomains
      .split(/[\s,;]+/)
      .map((d) => d.trim())
      .filter(Boolean);
    const missing = [
      !form.values.issuer.trim() ? { path: 'issuer', message: 'Enter the provider’s issuer URL' } : null,
      !form.values.clientId.trim()
        ? { path: 'clientId', message: 'Enter the client id the provider gave you' }
        : null,
      !provider && !secret
        ? { path: 'clientSecret', message: 'Enter the client secret the provider gave you' }
        : null,
      domains.length === 0 ? { path: 'allowedDomains', message: 'Enter at least one email domain' } : null,
    ].filter((x) => x !== null);
    if (missing.length > 0) return form.failWith(missing);
    form.clearProblem();
    setBanner(null);
    save.mutate({
      issuer: form.values.issuer.trim(),
      clientId: form.values.clientId.trim(),
      ...(secret ? { clientSecret: secret } : {}),
      allowedDomains: domains,
      createUnknown: form.values.createUnknown === 'yes',
      defaultRole: form.values.defaultRole === 'officer' ? 'officer' : 'viewer',
    });
  };

  return (
    <>
      {banner ? (
        <NotificationBanner success title="Done">
          <p className="govuk-notification-banner__heading">{banner}</p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{authorityName}</span>
        Sign-in settings
      </h1>
      <p className="govuk-body">
        Let your people sign in with your council’s own identity provider (OpenID Connect, such as Microsoft
        Entra ID). Anyone whose address is at one of your domains is sent there to sign in.
      </p>
      {provider ? (
        <>
          <h2 className="govuk-heading-m">Register these with your provider</h2>
          <SummaryList
            rows={[
              { key: 'Redirect URI', value: <span className="ccx-secret">{provider.redirectUri}</span> },
              { key: 'Sign-in address', value: <span className="ccx-secret">{provider.signInUrl}</span> },
              { key: 'Last changed', value: formatDateTime(provider.updatedAt) },
            ]}
          />
        </>
      ) : (
        <InsetText>
          Your people sign in with a password and an authenticator app, or a passkey. Set up a provider below
          to use your council’s sign-in instead.
        </InsetText>
      )}
      <div className="govuk-grid-row">
        {/* The issuer's example address and the hub's words about it may break anywhere at 320 px. */}
        <div className="govuk-grid-column-two-thirds ccx-secret">
          <Form
            onSubmit={submit}
            problem={form.problem}
            fields={Object.keys(LABELS)}
            label="Identity provider"
          >
            <h2 className="govuk-heading-m">
              {provider ? 'Change your identity provider' : 'Set up an identity provider'}
            </h2>
            <TextInput
              id="issuer"
              label="Issuer URL"
              hint="From the provider, such as https://login.microsoftonline.com/<tenant id>/v2.0"
              type="url"
              value={form.values.issuer}
              onChange={(v) => form.set('issuer', v)}
              error={form.errorFor('issuer')}
              spellCheck={false}
              autoComplete="off"
            />
            <TextInput
              id="clientId"
              label="Client id"
              hint="The application (client) id of the hub’s registration at your provider."
              value={form.values.clientId}
              onChange={(v) => form.set('clientId', v)}
              error={form.errorFor('clientId')}
              spellCheck={false}
              autoComplete="off"
            />
            <TextInput
              id="clientSecret"
              label="Client secret"
              hint={
                provider
                  ? 'A secret is saved; it is never shown. Leave empty to keep it, or enter a new one to replace it.'
                  : 'The secret your provider made for the registration. It is never shown again once saved.'
              }
              type="password"
              value={secret}
              onChange={setSecret}
              error={form.errorFor('clientSecret')}
              autoComplete="new-password"
              spellCheck={false}
            />
            <Textarea
              id="allowedDomains"
              label="Email domains"
              hint="One a line, such as bolton.gov.uk. People with addresses there are sent to your provider."
              rows={3}
              value={form.values.allowedDomains}
              onChange={(v) => form.set('allowedDomains', v)}
              error={form.errorFor('allowedDomains')}
            />
            <Radios
              id="createUnknown"
              legend="Someone at your domains signs in who has not been invited"
              options={[
                { value: 'no', label: 'Refuse them', hint: 'Only people you invite may sign in.' },
                {
                  value: 'yes',
                  label: 'Let them in',
                  hint: 'The hub adds them with the role below the first time they sign in.',
                },
              ]}
              value={form.values.createUnknown}
              onChange={(v) => form.set('createUnknown', v)}
              error={form.errorFor('createUnknown')}
            />
            <Radios
              id="defaultRole"
              legend="Role for people added this way"
              options={[
                { value: 'viewer', label: 'Viewer' },
                { value: 'officer', label: 'Officer' },
              ]}
              value={form.values.defaultRole}
              onChange={(v) => form.set('defaultRole', v)}
              error={form.errorFor('defaultRole')}
              inline
            />
            <div className="govuk-button-group">
              <Button disabled={save.isPending}>Save sign-in settings</Button>
              {provider ? (
                <Button kind="warning" type="button" onClick={() => setConfirming(true)}>
                  Remove identity provider
                </Button>
              ) : null}
            </div>
          </Form>
        </div>
      </div>
    </>
  );
};
