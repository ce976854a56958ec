import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { escapeDisguising } from '../text.js';
import { resolveIntegrationFields } from './integration-input.js';
import type { IntegrationFields } from './integration-repository.js';

export class IntegrationsConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `Invalid integrations declaration ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'IntegrationsConfigError';
  }
}

const entrySchema = z.strictObject({
  name: z.string(),
  email: z.string().nullish(),
  callbackUrl: z.string().nullish(),
  identityLinkUrl: z.string().nullish(),
  resourceAccess: z.enum(['ALL', 'CUSTOM']),
  resources: z.array(z.string()).nullish(),
});
/**
 * Names as the database compares them (utf8mb4_unicode_ci ignores case and accents, and ß is ss),
 * so two declarations of one integration are caught here. The sync checks again against the rows.
 */
function comparableName(name: string): string {
  return name.trim().normalize('NFKD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').toLowerCase();
}

const fileSchema = z.strictObject({ integrations: z.array(z.unknown()) });

/**
 * Reads a declaration file (JSON, or YAML for .yaml/.yml) and validates every entry with the
 * same rules as the admin form. All problems are reported at once, each naming the entry and field.
 */
export async function readIntegrationsConfig(file: string): Promise<IntegrationFields[]> {
  let raw: unknown;
  try {
    const text = await readFile(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new IntegrationsConfigError(file, [
      `cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const parsedFile = fileSchema.safeParse(raw);
  if (!parsedFile.success) {
    throw new IntegrationsConfigError(file, ['must be an object with an "integrations" list']);
  }
  const problems: string[] = [];
  const declared: IntegrationFields[] = [];
  const names = new Set<string>();
  parsedFile.data.integrations.forEach((item, index) => {
    const name =
      typeof (item as { name?: unknown })?.name === 'string'
        ? (item as { name: string }).name
        : null;
    const label = `integrations[${index}]${name === null ? '' : ` ("${escapeDisguising(name)}")`}`;
    if (name !== null) {
      const key = comparableName(name);
      if (names.has(key)) {
        problems.push(`${label}.name: "${escapeDisguising(name.trim())}" is declared twice`);
      }
      names.add(key);
    }
    const entry = entrySchema.safeParse(item);
    if (!entry.success) {
      for (const issue of entry.error.issues) {
        problems.push(
          `${label}${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`,
        );
      }
      return;
    }
    const { fields, errors } = resolveIntegrationFields(entry.data, null);
    for (const error of errors)
      problems.push(`${label}.${error.field?.replace(/^input\./, '')}: ${error.message}`);
    if (errors.length === 0) declared.push(fields);
  });
  if (problems.length > 0) throw new IntegrationsConfigError(file, problems);
  return declared;
}
