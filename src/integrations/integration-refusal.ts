import type { Executor } from '../db/client.js';
import type { IntegrationError, IntegrationErrorCode } from './integration-input.js';
import {
  findIntegrationRow,
  findIntegrationView,
  type IntegrationRow,
  type IntegrationView,
} from './integration-repository.js';

export type Outcome<T> = T & { errors: IntegrationError[] };

/** Thrown inside a transaction to roll it back and report payload errors. */
export class IntegrationRefusal extends Error {
  constructor(readonly errors: IntegrationError[]) {
    super('integration change refused');
  }
}

export const refuse = (code: IntegrationErrorCode, message: string, field: string | null = null) =>
  new IntegrationRefusal([{ code, field, message }]);

const notFound = (id: number) =>
  refuse('NOT_FOUND', `The integration with ID "${id}" doesn't exist.`, 'id');

/** Runs a change; a refusal becomes the payload's errors, anything else propagates (and is masked). */
export async function attempt<T extends object>(
  empty: T,
  change: () => Promise<T>,
): Promise<Outcome<T>> {
  try {
    return { errors: [], ...(await change()) };
  } catch (error) {
    if (error instanceof IntegrationRefusal) return { ...empty, errors: error.errors };
    throw error;
  }
}

/** The integration row under a row lock, or a NOT_FOUND refusal. */
export async function lockIntegration(tx: Executor, id: number): Promise<IntegrationRow> {
  const row = await findIntegrationRow(tx, id, { forUpdate: true });
  if (!row) throw notFound(id);
  return row;
}

export async function viewIntegration(tx: Executor, id: number): Promise<IntegrationView> {
  const integration = await findIntegrationView(tx, id);
  if (!integration) throw notFound(id);
  return integration;
}

export const integrationRef = (row: IntegrationRow) => ({ id: row.id, name: row.name });
