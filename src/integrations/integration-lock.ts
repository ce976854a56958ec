import type { Executor } from '../db/client.js';
import { type IntegrationError, integrationNotFound } from './integration-input.js';
import { findIntegrationRow, type IntegrationRow } from './integration-repository.js';

type Locked = { row: IntegrationRow; refusal: null } | { row: null; refusal: IntegrationError };

/**
 * Locks the integration's row for the rest of the transaction, or says why the change may not
 * go on: the integration does not exist, or `refusalOf` objects to the row as it is now.
 */
export async function lockIntegration(
  tx: Executor,
  id: number,
  refusalOf: (row: IntegrationRow) => IntegrationError | null = () => null,
): Promise<Locked> {
  const row = await findIntegrationRow(tx, id, { forUpdate: true });
  if (!row) return { row: null, refusal: integrationNotFound(id) };
  const refusal = refusalOf(row);
  return refusal ? { row: null, refusal } : { row, refusal: null };
}
