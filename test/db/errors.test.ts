import { describe, expect, it } from 'vitest';
import { isConnectionError } from '../../src/db/driver-errors.js';

const driverError = (fields: Record<string, unknown>, message = 'driver') =>
  Object.assign(new Error(message), fields);
const wrapped = (cause: Error) => new Error('Failed query: rollback', { cause });

describe('isConnectionError', () => {
  it('recognises a refused, reset or lost connection beneath the wrapping error', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST']) {
      expect(isConnectionError(wrapped(driverError({ code })))).toBe(true);
    }
  });

  it('recognises a statement sent on a connection mysql2 already closed (fatal, no code)', () => {
    const closed = driverError(
      { fatal: true },
      "Can't add new command when connection is in closed state",
    );
    expect(isConnectionError(wrapped(closed))).toBe(true);
  });

  it('recognises a Galera node outside the primary component (1047 WSREP not prepared)', () => {
    const notPrimary = driverError({
      code: 'ER_UNKNOWN_COM_ERROR',
      errno: 1047,
      sqlMessage: 'WSREP has not yet prepared node for application use',
    });
    expect(isConnectionError(wrapped(notPrimary))).toBe(true);
    const unknownCommand = driverError({
      code: 'ER_UNKNOWN_COM_ERROR',
      errno: 1047,
      sqlMessage: 'Unknown command',
    });
    expect(isConnectionError(wrapped(unknownCommand))).toBe(false);
  });

  it('recognises a COMMIT a Galera node could not replicate (1180) and a lock wait timeout (1205)', () => {
    for (const errno of [1180, 1205]) {
      expect(isConnectionError(wrapped(driverError({ errno, sqlMessage: 'x' })))).toBe(true);
    }
  });

  it('leaves statement errors alone', () => {
    const duplicate = driverError({ code: 'ER_DUP_ENTRY', errno: 1062, fatal: false });
    expect(isConnectionError(wrapped(duplicate))).toBe(false);
    expect(isConnectionError(new Error('plain'))).toBe(false);
  });
});
