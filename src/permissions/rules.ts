import { allow, chain, rule } from 'graphql-shield';
import type { Context } from '../api/context.js';
import {
  accountLocked,
  forbidden,
  topLevelError,
  unauthenticated,
} from '../graphql/top-level-errors.js';

/**
 * Named rules of the permission tree. They read only the principal built before execution, never
 * the database, and are cached per request ('contextual'), which is safe because their result does
 * not depend on the parent object or arguments.
 */
export const isAdmin = rule('isAdmin', { cache: 'contextual' })((_parent, _args, ctx: Context) => {
  if (ctx.principal.kind === 'admin') return true;
  return ctx.principal.kind === 'anonymous' ? unauthenticated() : forbidden();
});

export const isIntegration = rule('isIntegration', { cache: 'contextual' })(
  (_parent, _args, ctx: Context) => {
    if (ctx.principal.kind === 'integration') return true;
    return ctx.principal.kind === 'anonymous' ? unauthenticated() : forbidden();
  },
);

/** Open to every caller, signed in or not; used for sign-in and for types behind a guarded field. */
export const everyone = allow;

const REAUTHENTICATION_FAILED_MESSAGE =
  'The password entered for the current user is invalid. Verify the password and try again.';

/**
 * Checks `currentPassword` (an argument, or a field of `input`) against the signed-in admin
 * before a sensitive mutation runs. Never cached: each guarded field in a document is checked
 * and each failure counts toward the lockout, so aliases and batching give no free guesses.
 * Use after `isAdmin` in a `chain`.
 */
const reauthenticated = rule('reauthenticated', { cache: 'no_cache' })(
  async (
    _parent,
    args: { currentPassword?: string; input?: { currentPassword?: string } },
    ctx: Context,
  ) => {
    if (ctx.principal.kind !== 'admin') return unauthenticated();
    const password = args.currentPassword ?? args.input?.currentPassword ?? '';
    const check = await ctx.services.adminAuth.verifyCurrentPassword(
      ctx.principal.admin.id,
      password,
      ctx.actor,
    );
    if (check === 'OK') return true;
    if (check === 'FAILED')
      return topLevelError('REAUTHENTICATION_FAILED', REAUTHENTICATION_FAILED_MESSAGE);
    // The lockout revoked every session of the admin; a console session loses its cookie too.
    if (ctx.browserSession.viaCookie) ctx.browserSession.end();
    return accountLocked();
  },
);

/** Admin only, after re-entering their password. */
export const isReauthenticatedAdmin = chain(isAdmin, reauthenticated);
