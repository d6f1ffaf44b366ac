// Sign in: the address first (a council with its own identity provider sends its people there), then
// the password and a code from the authenticator app or a recovery code; or a passkey alone.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  browserSupportsWebAuthn,
  startAuthentication,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { Form, useHubForm } from '../../components/form.js';
import { Button, InsetText, TextInput } from '../../components/govuk.js';
import { navigate, safeReturn, useSearchParams } from '../../navigation.js';
import { useTRPC, useTRPCClient } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';

type Step = 'email' | 'password' | 'code';

export const SignInPage = (_: PageProps) => {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const returnTo = safeReturn(useSearchParams().get('returnTo'));
  const [step, setStep] = useState<Step>('email');
  const [useRecovery, setUseRecovery] = useState(false);
  // Nothing here is kept in storage: a password or code is never written anywhere.
  const form = useHubForm(
    null,
    { email: '', password: '', code: '', recoveryCode: '' },
    { signInForm: true },
  );
  const { values, set } = form;

  const finish = async () => {
    form.done();
    await queryClient.resetQueries();
    navigate(returnTo, { replace: true });
  };

  const lookUp = useMutation({
    mutationFn: () => client.auth.ssoFor.query({ email: values.email }),
    onSuccess: (target) => {
      if (target) {
        const url = new URL(target.startUrl, window.location.origin);
        url.searchParams.set('returnTo', returnTo);
        window.location.assign(url.toString());
      } else setStep('password');
    },
    onError: form.fail,
  });
  const password = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: () => {
        form.clearProblem();
        setStep('code');
      },
      onError: form.fail,
    }),
  );
  const secondFactor = useMutation(
    trpc.auth.secondFactor.mutationOptions({ onSuccess: finish, onError: form.fail }),
  );
  const passkey = useMutation({
    mutationFn: async () => {
      const start = await client.passkeys.signInOptions.mutate(values.email ? { email: values.email } : {});
      // The hub's transports are the browser's own words for them, passed back unchanged.
      const response = await startAuthentication({
        optionsJSON: start.options as PublicKeyCredentialRequestOptionsJSON,
      });
      return client.passkeys.signIn.mutate({ challengeId: start.challengeId, response });
    },
    onSuccess: finish,
    onError: (error) => {
      if (error instanceof Error && error.name === 'NotAllowedError')
        form.failWith([
          { path: '(input)', message: 'The passkey was not used. Try again, or sign in with your password.' },
        ]);
      else form.fail(error);
    },
  });

  const submit = () => {
    form.clearProblem();
    if (step === 'email') {
      if (!values.email.trim())
        return form.failWith([{ path: 'email', message: 'Enter your email address' }]);
      return lookUp.mutate();
    }
    if (step === 'password') {
      if (!values.password) return form.failWith([{ path: 'password', message: 'Enter your password' }]);
      return password.mutate({ email: values.email, password: values.password });
    }
    if (useRecovery) {
      if (!values.recoveryCode.trim())
        return form.failWith([{ path: 'recoveryCode', message: 'Enter one of your recovery codes' }]);
      return secondFactor.mutate({ recoveryCode: values.recoveryCode });
    }
    if (!values.code.trim())
      return form.failWith([{ path: 'code', message: 'Enter the 6-digit code from your authenticator app' }]);
    return secondFactor.mutate({ code: values.code });
  };
  const busy = lookUp.isPending || password.isPending || secondFactor.isPending || passkey.isPending;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Form onSubmit={submit} problem={form.problem} fields={['email', 'password', 'code', 'recoveryCode']}>
          {step === 'code' ? (
            <>
              <h1 className="govuk-heading-l">Enter your security code</h1>
              {useRecovery ? (
                <TextInput
                  id="recoveryCode"
                  label="Recovery code"
                  hint="One of the recovery codes you saved when you set up your account. Each works once."
                  value={values.recoveryCode}
                  onChange={(v) => set('recoveryCode', v)}
                  error={form.errorFor('recoveryCode')}
                  autoComplete="off"
                  spellCheck={false}
                  width="20"
                />
              ) : (
                <TextInput
                  id="code"
                  label="Code from your authenticator app"
                  hint="The 6-digit code the app shows for ccx now."
                  value={values.code}
                  onChange={(v) => set('code', v)}
                  error={form.errorFor('code')}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  spellCheck={false}
                  width="10"
                />
              )}
              <Button disabled={busy}>Continue</Button>
              <p className="govuk-body">
                <button
                  type="button"
                  className="govuk-link ccx-link-button"
                  onClick={() => {
                    form.clearProblem();
                    setUseRecovery(!useRecovery);
                  }}
                >
                  {useRecovery
                    ? 'Use a code from your authenticator app'
                    : 'I cannot use my authenticator app'}
                </button>
              </p>
            </>
          ) : (
            <>
              <h1 className="govuk-heading-l">Sign in to ccx</h1>
              <TextInput
                id="email"
                label="Email address"
                hint="Your work address at your council."
                type="email"
                value={values.email}
                onChange={(v) => {
                  set('email', v);
                  if (step === 'password') setStep('email');
                }}
                error={form.errorFor('email')}
                autoComplete="username webauthn"
                spellCheck={false}
              />
              {step === 'password' ? (
                <TextInput
                  id="password"
                  label="Password"
                  type="password"
                  value={values.password}
                  onChange={(v) => set('password', v)}
                  error={form.errorFor('password')}
                  autoComplete="current-password"
                  autoFocus
                />
              ) : null}
              <Button disabled={busy}>Continue</Button>
            </>
          )}
        </Form>
        {step !== 'code' && browserSupportsWebAuthn() ? (
          <>
            <h2 className="govuk-heading-m">Or use a passkey</h2>
            <p className="govuk-body">
              If you have added a passkey to your account, you can sign in with it alone.
            </p>
            <Button type="button" kind="secondary" onClick={() => passkey.mutate()} disabled={busy}>
              Sign in with a passkey
            </Button>
          </>
        ) : null}
        <InsetText>
          New to ccx? Your authority&apos;s admin sends you an invitation by email. Problems signing in? Ask
          them too: they can send you a new link.
        </InsetText>
      </div>
    </div>
  );
};
