import { allow, rule } from 'graphql-shield';
import type { Context } from '../graphql/context.js';
import { forbidden, unauthenticated } from '../graphql/errors.js';

/**
 * Named rules of the permission tree. They read only the principal built before execution, never
 * the database, and are cached per request ('contextual'), which is safe because their result does
 * not depend on the parent object or arguments.
 */
export const isAdmin = rule('isAdmin', { cache: 'contextual' })((_parent, _args, ctx: Context) => {
  if (ctx.principal.kind === 'admin') return true;
  return ctx.principal.kind === 'anonymous' ? unauthenticated() : forbidden();
});

/** Open to every caller, signed in or not; used for sign-in and for types behind a guarded field. */
export const everyone = allow;
