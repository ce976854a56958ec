import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one app instance (own registry, so tests can build several apps). */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    httpRequests: new Counter({
      name: 'gateway_http_requests_total',
      help: 'HTTP requests by method, path and status.',
      labelNames: ['method', 'path', 'status'] as const,
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'gateway_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by operation name.',
      labelNames: ['operation'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'GraphQL errors by extensions.code.',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    oauthFailures: new Counter({
      name: 'gateway_oauth_failures_total',
      help: 'Refused OAuth requests (signed /graphql, token endpoints) by reason, as in the request log.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    lockouts: new Counter({
      name: 'gateway_admin_lockouts_total',
      help: 'Admin accounts locked after repeated password failures.',
      registers: [registry],
    }),
    poolConnections: new Gauge({
      name: 'gateway_db_pool_connections',
      help: 'Database pool connections by state (all, free) and queued acquisitions (queued).',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
