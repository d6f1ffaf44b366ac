// The console's entry: GOV.UK Frontend's styles, the tRPC and TanStack Query clients, and the app.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import './styles.scss';
import { App } from './app.js';
import { currentPath, navigate } from './navigation.js';
import { createClients, TRPCProvider } from './trpc.js';

const PUBLIC = ['/sign-in', '/welcome'];

/** A call refused for want of a session sends the person to sign in, then back to where they were. */
const toSignIn = () => {
  const here = currentPath();
  if (PUBLIC.some((p) => here.startsWith(p))) return;
  navigate(`/sign-in?returnTo=${encodeURIComponent(here)}`, { replace: true });
};

const Root = () => {
  const [{ queryClient, trpcClient }] = useState(() => createClients(toSignIn));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <App />
      </TRPCProvider>
    </QueryClientProvider>
  );
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
