// Your account: where you are signed in (end any session), your passkeys, new recovery codes.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  browserSupportsWebAuthn,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/browser';
import { Form, useHubForm } from '../../components/form.js';
import {
  Button,
  Loading,
  NotificationBanner,
  SummaryList,
  Table,
  TextInput,
} from '../../components/govuk.js';
import { navigate } from '../../navigation.js';
import { ROLE_NAMES, useSession } from '../../session.js';
import { useTRPC, useTRPCClient } from '../../trpc.js';
import { formatDateTime } from '../../format.js';
import type { PageProps } from '../../route-kit.js';

export const AccountPage = (_: PageProps) => {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { person, me } = useSession();
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const passkeys = useQuery(trpc.passkeys.list.queryOptions());
  const [banner, setBanner] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const form = useHubForm(null, { passkeyName: '' });

  const endSession = useMutation(
    trpc.auth.endSession.mutationOptions({
      onSuccess: () => {
        setBanner('That session has ended.');
        void queryClient.invalidateQueries(trpc.auth.sessions.queryFilter());
      },
      onError: form.fail,
    }),
  );
  const everywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        navigate('/sign-in?signedOut=1', { replace: true });
      },
      onError: form.fail,
    }),
  );
  const addPasskey = useMutation({
    mutationFn: async () => {
      const options = await client.passkeys.registrationOptions.mutate();
      const response = await startRegistration({
        optionsJSON: options as PublicKeyCredentialCreationOptionsJSON,
      });
      return client.passkeys.register.mutate({
        response,
        ...(form.values.passkeyName.trim() ? { name: form.values.passkeyName } : {}),
      });
    },
    onSuccess: (p) => {
      form.clearProblem();
      form.set('passkeyName', '');
      setBanner(`Passkey “${p.name}” added. You can now sign in with it alone.`);
      void queryClient.invalidateQueries(trpc.passkeys.list.queryFilter());
    },
    onError: (error) => {
      if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'InvalidStateError'))
        form.failWith([
          { path: 'passkeyName', message: 'No passkey was added: the browser or device did not make one' },
        ]);
      else form.fail(error);
    },
  });
  const removePasskey = useMutation(
    trpc.passkeys.remove.mutationOptions({
      onSuccess: (p) => {
        setBanner(`Passkey “${p.name}” removed.`);
        void queryClient.invalidateQueries(trpc.passkeys.list.queryFilter());
      },
      onError: form.fail,
    }),
  );
  const newCodes = useMutation(
    trpc.auth.newRecoveryCodes.mutationOptions({
      onSuccess: (r) => setCodes(r.recoveryCodes),
      onError: form.fail,
    }),
  );

  return (
    <>
      {banner ? (
        <NotificationBanner success title="Done">
          <p className="govuk-notification-banner__heading">{banner}</p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">Your account</h1>
      <SummaryList
        rows={[
          { key: 'Name', value: person.name },
          { key: 'Email address', value: person.email },
          { key: 'Authority', value: me.authority.name },
          { key: 'Role', value: ROLE_NAMES[person.role] },
          {
            key: 'Signs in with',
            value: [
              person.singleSignOn ? 'your council’s identity provider' : null,
              person.localAccount ? 'a password and an authenticator app' : null,
              passkeys.data?.length ? 'a passkey' : null,
            ]
              .filter(Boolean)
              .join(', '),
          },
        ]}
      />
      <Form problem={form.problem} fields={['passkeyName']} onSubmit={() => addPasskey.mutate()}>
        <h2 className="govuk-heading-m">Passkeys</h2>
        {passkeys.isPending ? (
          <Loading what="your passkeys" />
        ) : passkeys.data && passkeys.data.length > 0 ? (
          <Table
            caption="Your passkeys"
            head={['Name', 'Added', 'Last used', 'Action']}
            rows={passkeys.data.map((p) => ({
              key: p.id,
              cells: [
                p.name,
                formatDateTime(p.createdAt),
                p.lastUsedAt ? formatDateTime(p.lastUsedAt) : 'Never',
                <button
                  type="button"
                  className="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                  onClick={() => removePasskey.mutate({ id: p.id })}
                >
                  Remove<span className="govuk-visually-hidden"> passkey {p.name}</span>
                </button>,
              ],
            }))}
          />
        ) : (
          <p className="govuk-body">You have no passkeys.</p>
        )}
        {browserSupportsWebAuthn() ? (
          <>
            <TextInput
              id="passkeyName"
              label="Name for a new passkey (optional)"
              hint="For example, work laptop"
              value={form.values.passkeyName}
              onChange={(v) => form.set('passkeyName', v)}
              error={form.errorFor('passkeyName')}
              width="20"
            />
            <Button kind="secondary" disabled={addPasskey.isPending}>
              Add a passkey
            </Button>
          </>
        ) : (
          <p className="govuk-body">This browser cannot make passkeys.</p>
        )}
      </Form>

      <h2 className="govuk-heading-m">Where you are signed in</h2>
      {sessions.isPending ? (
        <Loading what="your sessions" />
      ) : (
        <Table
          caption="Your sessions"
          head={['Started', 'Last used', 'Browser', 'Ends', 'Action']}
          rows={(sessions.data ?? []).map((s) => ({
            key: s.handle,
            cells: [
              formatDateTime(s.createdAt),
              formatDateTime(s.lastSeenAt),
              s.userAgent ? s.userAgent.slice(0, 60) : 'Unknown',
              formatDateTime(s.idleExpiresAt < s.expiresAt ? s.idleExpiresAt : s.expiresAt),
              s.current ? (
                'This browser'
              ) : (
                <button
                  type="button"
                  className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                  onClick={() => endSession.mutate({ handle: s.handle })}
                >
                  End
                  <span className="govuk-visually-hidden">
                    {' '}
                    the session started {formatDateTime(s.createdAt)}
                  </span>
                </button>
              ),
            ],
          }))}
        />
      )}
      <Button kind="warning" type="button" onClick={() => everywhere.mutate()}>
        Sign out everywhere
      </Button>

      {person.localAccount ? (
        <>
          <h2 className="govuk-heading-m">Recovery codes</h2>
          <p className="govuk-body">
            You have {person.recoveryCodesLeft} recovery codes left. New codes replace every old one.
          </p>
          {codes ? (
            <ul className="govuk-list govuk-list--number" data-testid="recovery-codes">
              {codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          ) : (
            <Button kind="secondary" type="button" onClick={() => newCodes.mutate()}>
              Make new recovery codes
            </Button>
          )}
        </>
      ) : null}
    </>
  );
};
