import type { DomainError } from '../errors.js';
import { builder } from './builder.js';

/**
 * Declares a domain's payload error type `{ code field message }` with its own code enum, so every
 * domain reports invalid input the same way. Services produce typed codes; the GraphQL enum
 * rejects any code it does not list at serialization time.
 */
export function domainErrorType<const Code extends string>(
  name: string,
  codeDescriptions: Record<Code, string>,
) {
  const codeEnum = builder.enumType(`${name}Code`, {
    description: `Machine-readable codes of ${name}.`,
    values: Object.fromEntries(
      Object.entries<string>(codeDescriptions).map(([code, description]) => [
        code,
        { description },
      ]),
    ),
  });
  return builder.objectRef<DomainError<Code>>(name).implement({
    description:
      'A problem with the input of a mutation; nothing was changed when one is returned.',
    fields: (t) => ({
      code: t.field({
        type: codeEnum,
        description: 'What is wrong.',
        resolve: (error): string => error.code,
      }),
      field: t.exposeString('field', {
        nullable: true,
        description:
          'Path of the input field at fault (`input.email`), or null for the whole input.',
      }),
      message: t.exposeString('message', { description: 'Human-readable explanation.' }),
    }),
  });
}
