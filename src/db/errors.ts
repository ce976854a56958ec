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
