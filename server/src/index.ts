// The server package's public face, for the test suites and the demo.
export { appRouter, type AppRouter } from './routers/index.js';
export { createCallerFactory } from './trpc.js';
export { createContextInner, type Context } from './context.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createHub, type Hub } from './hub.js';
export { createApp } from './http/app.js';
export { startHub, type RunningHub } from './server.js';
export { bootstrap } from './bootstrap.js';
export { openDatabase, type Database, type Db } from './db/index.js';
export { openTestDatabase, ownerDbOf, TEST_HUB_ROLE } from './db/test-database.js';
export { insertClient } from './domain/clients/clients.js';
export type { Principal } from './auth/tokens.js';
export { AppError } from './errors.js';
