// Signing out ends this session at the hub and forgets everything the console held for it.
import { useEffect } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { navigate } from '../../navigation.js';
import { useTRPC } from '../../trpc.js';
import { Loading } from '../../components/govuk.js';
import type { PageProps } from '../../route-kit.js';

export const SignOutPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signOut = useMutation(trpc.auth.signOut.mutationOptions());
  const { mutate } = signOut;
  useEffect(() => {
    mutate(undefined, {
      onSettled: () => {
        queryClient.clear();
        window.sessionStorage.clear();
        navigate('/sign-in?signedOut=1', { replace: true });
      },
    });
  }, [mutate, queryClient]);
  return <Loading what="signing you out" />;
};
