import type { AdminIdentity } from '../admin-auth/admin-auth-service.js';

/** Who is calling, decided once per request before execution. Rules read it; they never query. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'admin'; admin: AdminIdentity; sessionId: number };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
