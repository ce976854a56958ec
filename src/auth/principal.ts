import type { AdminIdentity } from '../admin-auth/admin-auth-service.js';

/** An integration authenticated for this request, with its grants loaded once. */
export interface IntegrationIdentity {
  id: number;
  name: string;
  resourceAccess: 'ALL' | 'CUSTOM';
  resources: ReadonlySet<string>;
}

/** Who is calling, decided once per request before execution. Rules read it; they never query. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'admin'; admin: AdminIdentity; sessionId: number }
  | { kind: 'integration'; integration: IntegrationIdentity };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
