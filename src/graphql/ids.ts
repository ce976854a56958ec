import { topLevelError } from './top-level-errors.js';

/** The one spelling of a row ID: no sign, spaces, leading zeros, fraction, exponent or radix. */
const CANONICAL_ID = /^[1-9][0-9]*$/;

/**
 * Parses an ID argument or input field that names a row by number. Anything but the canonical
 * decimal form (`"0x26"`, `" 38"`, `"38.0"`, `"38e0"`, `"+38"`, `"038"`, `"0"`) is BAD_USER_INPUT,
 * so one row has one ID.
 */
export function parseId(id: string | number, what: string): number {
  const text = String(id);
  const value = Number(text);
  if (!CANONICAL_ID.test(text) || !Number.isSafeInteger(value)) {
    throw topLevelError(
      'BAD_USER_INPUT',
      `Not ${what} ID: IDs are positive decimal numbers without sign, spaces or leading zeros.`,
    );
  }
  return value;
}

/** Parses an integration ID argument (canonical decimal, else BAD_USER_INPUT). */
export const integrationId = (id: string | number) => parseId(id, 'an integration');
