/** The MySQL error behind a Drizzle error (Drizzle wraps driver errors in `cause`). */
function driverError(error: unknown): { errno?: number; sqlMessage?: string } | null {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ('errno' in current) return current as { errno?: number; sqlMessage?: string };
  }
  return null;
}

/** ER_DUP_ENTRY on the named unique key. */
export function isDuplicateKey(error: unknown, keyName: string): boolean {
  const cause = driverError(error);
  return cause?.errno === 1062 && (cause.sqlMessage ?? '').includes(`'${keyName}'`);
}

/** ER_LOCK_DEADLOCK or ER_LOCK_WAIT_TIMEOUT: the whole transaction may be retried. */
export function isRetryableTransactionError(error: unknown): boolean {
  const errno = driverError(error)?.errno;
  return errno === 1213 || errno === 1205;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

/** ER_LOCK_WAIT_TIMEOUT: a lock (or, on Galera, a causal read) waited too long. */
export function isLockWaitTimeout(error: unknown): boolean {
  return driverError(error)?.errno === 1205;
}

/**
 * The database cannot be reached (down, restarting, full), or the connection died under the
 * statement: worth retrying later. mysql2 marks an error `fatal` when its connection is gone; such
 * errors can carry no code (a ROLLBACK on a connection that was killed meanwhile). The same holds
 * for a Galera node outside the primary component (cut off, or still joining), which answers
 * ER_UNKNOWN_COM_ERROR (1047) "WSREP has not yet prepared node for application use", or fails a
 * COMMIT it could not replicate with ER_ERROR_DURING_COMMIT (1180); and for a lock wait timeout
 * (1205) still there after its retry: the database is too busy, or its node cannot catch up.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const { code, fatal, errno, sqlMessage } = current as Error & Record<string, unknown>;
    if (fatal === true || (typeof code === 'string' && CONNECTION_CODES.has(code))) return true;
    if (errno === 1047 && typeof sqlMessage === 'string' && sqlMessage.includes('WSREP')) {
      return true;
    }
    if (errno === 1180 || errno === 1205) return true;
  }
  return false;
}

/** mysql2 refused to queue another connection request: the server is over capacity. */
export function isPoolExhausted(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.message === 'Queue limit reached.') return true;
  }
  return false;
}
