// Builds the console into dist/, which the hub serves at / (server/src/http/console-routes.ts).
// `npm run dev -w @ccx/console` serves it with hot reload and sends the hub's paths to a hub on :8080.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const hub = process.env.CCX_HUB_URL ?? 'http://127.0.0.1:8080';
const toHub = Object.fromEntries(['/trpc', '/auth', '/api', '/oauth'].map((p) => [p, hub]));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed names under one folder the hub serves as immutable.
    assetsDir: 'assets/console',
    sourcemap: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  css: {
    // GOV.UK Frontend keeps an old-browser hack ("min-width: 0\\0") that the minifier cannot parse;
    // it drops that one rule (aimed at Internet Explorer) and keeps going.
    lightningcss: { errorRecovery: true },
    preprocessorOptions: {
      scss: {
        // GOV.UK Frontend 5 is written for @import; its own deprecation notices are not ours to fix.
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'slash-div', 'color-functions', 'if-function'],
      },
    },
  },
  server: { proxy: toHub },
});
