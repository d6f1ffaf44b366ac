// The page an invitation or the first set-up link opens (<hub>/welcome#invitation=… or #setup=…): choose
// a password, add ccx to an authenticator app, keep the recovery codes. The token rides in the
// address's fragment, which no server sees; it is taken out of the address at once.
import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import { Button, InsetText, NotificationBanner, TextInput, WarningText } from '../../components/govuk.js';
import { navigate } from '../../navigation.js';
import { useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';

type Link = { kind: 'invitation' | 'setup'; token: string };

const readLink = (): Link | null => {
  const match = /^#(invitation|setup)=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  return match ? { kind: match[1] as Link['kind'], token: match[2]! } : null;
};

/** The key as an app asks for it typed: groups of four. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

export const WelcomePage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [link] = useState(readLink);
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);
  const form = useHubForm(
    null,
    { email: '', name: '', password: '', confirm: '', code: '' },
    { signInForm: true },
  );
  const { values, set } = form;
  const [enrolment, setEnrolment] = useState<Outputs['auth']['acceptLink'] | null>(null);
  const [enrolled, setEnrolled] = useState<Outputs['auth']['confirmTotp'] | null>(null);
  const accept = useMutation(
    trpc.auth.acceptLink.mutationOptions({
      onSuccess: (e) => {
        form.clearProblem();
        setEnrolment(e);
      },
      onError: form.fail,
    }),
  );
  const confirm = useMutation(
    trpc.auth.confirmTotp.mutationOptions({
      onSuccess: (e) => {
        form.clearProblem();
        setEnrolled(e);
      },
      onError: form.fail,
    }),
  );

  if (!link && !enrolment && !enrolled)
    return (
      <>
        <h1 className="govuk-heading-l">This link does not work</h1>
        <p className="govuk-body">
          Open the link from your invitation email in full. If it has expired or was used already, ask your
          authority&apos;s admin for a new one.
        </p>
      </>
    );

  if (enrolled)
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <NotificationBanner success title="Your account is ready">
            <p className="govuk-notification-banner__heading">You are signed in as {enrolled.person.name}.</p>
          </NotificationBanner>
          <h1 className="govuk-heading-l">Save your recovery codes</h1>
          <p className="govuk-body">
            If you lose your phone, each of these codes signs you in once in place of a code from the app.
            They are shown only now: print them or keep them in your password manager.
          </p>
          <ul className="govuk-list govuk-list--number" data-testid="recovery-codes">
            {enrolled.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <Button
            type="button"
            onClick={() => {
              void queryClient.resetQueries().then(() => navigate('/', { replace: true }));
            }}
          >
            I have saved my codes – continue
          </Button>
        </div>
      </div>
    );

  if (enrolment)
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Form
            problem={form.problem}
            fields={['code']}
            onSubmit={() => {
              form.clearProblem();
              if (!values.code.trim())
                return form.failWith([{ path: 'code', message: 'Enter the 6-digit code your app shows' }]);
              confirm.mutate({ code: values.code });
            }}
          >
            <h1 className="govuk-heading-l">Set up your authenticator app</h1>
            <p className="govuk-body">
              ccx asks for a code from an authenticator app (such as Microsoft Authenticator) each time you
              sign in with your password.
            </p>
            <ol className="govuk-list govuk-list--number">
              <li>In the app, choose to add an account and to enter a setup key.</li>
              <li>
                Enter this key:{' '}
                <code className="ccx-secret" data-testid="totp-secret" data-secret={enrolment.totpSecret}>
                  {grouped(enrolment.totpSecret)}
                </code>
                . On the phone that has the app you can instead{' '}
                <a className="govuk-link" href={enrolment.otpauthUri}>
                  open this setup link
                </a>
                .
              </li>
              <li>Type the code the app then shows.</li>
            </ol>
            <TextInput
              id="code"
              label="Code from your authenticator app"
              value={values.code}
              onChange={(v) => set('code', v)}
              error={form.errorFor('code')}
              autoComplete="one-time-code"
              inputMode="numeric"
              width="10"
            />
            <Button disabled={confirm.isPending}>Continue</Button>
          </Form>
        </div>
      </div>
    );

  const setup = link!.kind === 'setup';
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Form
          problem={form.problem}
          fields={['email', 'name', 'password', 'confirm']}
          onSubmit={() => {
            form.clearProblem();
            const missing = [
              ...(setup && !values.email.trim()
                ? [{ path: 'email', message: 'Enter your email address' }]
                : []),
              ...(setup && !values.name.trim() ? [{ path: 'name', message: 'Enter your full name' }] : []),
              ...(values.password.length === 0 ? [{ path: 'password', message: 'Choose a password' }] : []),
              ...(values.password && values.confirm !== values.password
                ? [{ path: 'confirm', message: 'The two passwords are not the same' }]
                : []),
            ];
            if (missing.length) return form.failWith(missing);
            accept.mutate({
              token: link!.token,
              password: values.password,
              ...(values.name.trim() ? { name: values.name } : {}),
              ...(setup ? { email: values.email } : {}),
            });
          }}
        >
          <h1 className="govuk-heading-l">
            {setup ? 'Set up the hub’s first account' : 'Set up your account'}
          </h1>
          {setup ? (
            <WarningText>This account will be a hub admin: it can add authorities and people.</WarningText>
          ) : null}
          {setup ? (
            <TextInput
              id="email"
              label="Email address"
              type="email"
              value={values.email}
              onChange={(v) => set('email', v)}
              error={form.errorFor('email')}
              autoComplete="username"
              spellCheck={false}
            />
          ) : null}
          <TextInput
            id="name"
            label={setup ? 'Full name' : 'Full name (optional)'}
            hint={setup ? undefined : 'Leave empty to keep the name your admin gave.'}
            value={values.name}
            onChange={(v) => set('name', v)}
            error={form.errorFor('name')}
            autoComplete="name"
          />
          <TextInput
            id="password"
            label="Choose a password"
            hint="At least 12 characters. A few unrelated words make a good one."
            type="password"
            value={values.password}
            onChange={(v) => set('password', v)}
            error={form.errorFor('password')}
            autoComplete="new-password"
          />
          <TextInput
            id="confirm"
            label="Type the password again"
            type="password"
            value={values.confirm}
            onChange={(v) => set('confirm', v)}
            error={form.errorFor('confirm')}
            autoComplete="new-password"
          />
          <Button disabled={accept.isPending}>Continue</Button>
        </Form>
        <InsetText>The link works once. If you leave now, ask your admin for a new one.</InsetText>
      </div>
    </div>
  );
};
