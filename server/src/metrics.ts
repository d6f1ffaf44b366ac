// Prometheus metrics for /metrics: requests and latencies per procedure, HTTP routes, the database pool, the process.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export const createMetrics = (db: { kind: string; poolMax: number }) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ccx_' });
  const buckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

  const procedureCalls = new Counter({
    name: 'ccx_procedure_calls_total',
    help: 'tRPC procedure calls by procedure, type and result code',
    labelNames: ['procedure', 'type', 'code'] as const,
    registers: [registry],
  });
  const procedureSeconds = new Histogram({
    name: 'ccx_procedure_duration_seconds',
    help: 'tRPC procedure latency in seconds',
    labelNames: ['procedure', 'type'] as const,
    buckets,
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'ccx_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpSeconds = new Histogram({
    name: 'ccx_http_request_duration_seconds',
    help: 'HTTP request latency in seconds by route',
    labelNames: ['route', 'method'] as const,
    buckets,
    registers: [registry],
  });
  let inFlight = 0;
  new Gauge({
    name: 'ccx_db_pool_max',
    help: 'Largest number of database connections the pool may open',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.set({ kind: db.kind }, db.poolMax);
    },
  });
  new Gauge({
    name: 'ccx_http_requests_in_flight',
    help: 'HTTP requests being served (each holds at most one database connection at a time)',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  const deliveries = new Counter({
    name: 'ccx_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by result: delivered, retry (will be tried again) or dead (gave up)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const tokenRequests = new Counter({
    name: 'ccx_token_requests_total',
    help: 'Token endpoint answers by result: issued, refused (bad credentials) or locked (too many failures)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const dbUp = new Gauge({
    name: 'ccx_db_up',
    help: '1 when the last readiness check reached the database, else 0',
    registers: [registry],
  });

  return {
    registry,
    observeProcedure(procedure: string, type: string, code: string, seconds: number) {
      procedureCalls.inc({ procedure, type, code });
      procedureSeconds.observe({ procedure, type }, seconds);
    },
    observeHttp(route: string, method: string, status: number, seconds: number) {
      httpRequests.inc({ route, method, status: String(status) });
      httpSeconds.observe({ route, method }, seconds);
    },
    requestStarted() {
      inFlight++;
    },
    requestEnded() {
      inFlight--;
    },
    observeDelivery(result: string) {
      deliveries.inc({ result });
    },
    observeTokenRequest(result: 'issued' | 'refused' | 'locked') {
      tokenRequests.inc({ result });
    },
    setDatabaseUp(up: boolean) {
      dbUp.set(up ? 1 : 0);
    },
  };
};
