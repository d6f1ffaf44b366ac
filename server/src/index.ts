// The server package's public face: the hub, its app and router, configuration and the database.
// Test helpers are in @ccx/server/testing.
export { appRouter, type AppRouter } from './http/routers/index.js';
export { createCallerFactory } from './http/trpc.js';
export { createContextInner, type Context } from './http/context.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createHub, type Hub } from './hub.js';
export { createApp } from './http/app.js';
export { startHub, type RunningHub } from './server.js';
export { bootstrap } from './bootstrap.js';
export { openDatabase, type Database, type Db } from './db/index.js';
export type { ClientPrincipal, Principal } from './auth/tokens.js';
export { AppError } from './shared/errors.js';
