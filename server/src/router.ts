// @ccx/server/router: the router's type and nothing else, for the SDK to type-check against without
// taking in the server's code.
export type { AppRouter } from './http/routers/index.js';
