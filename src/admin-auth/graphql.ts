import { domainError, type Outcome, refused } from '../errors.js';
import { builder } from '../graphql/builder.js';
import { domainErrorType } from '../graphql/domain-error-type.js';
import {
  accountLocked,
  rateLimited,
  SIGN_IN_FAILED_MESSAGE,
  topLevelError,
} from '../graphql/top-level-errors.js';
import type { AdminIdentity } from './admin-auth-service.js';

export const AdminType = builder.objectRef<AdminIdentity>('Admin').implement({
  description: 'An administrator of the gateway.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier of the admin.' }),
    username: t.exposeString('username', { description: 'The name the admin signs in with.' }),
    email: t.exposeString('email', { description: 'Contact address of the admin.' }),
  }),
});

const AdminAuthError = domainErrorType('AdminAuthError', {
  REQUIRED: 'A required input field is empty.',
  INVALID: 'An input field has an invalid value.',
});

type LoginPayload = Outcome<
  { token: string | null; expiresAt: Date | null; admin: AdminIdentity | null },
  'REQUIRED' | 'INVALID'
>;

const AdminLoginPayload = builder.objectRef<LoginPayload>('AdminLoginPayload').implement({
  description: 'Result of adminLogin.',
  fields: (t) => ({
    token: t.exposeString('token', {
      nullable: true,
      description:
        'Session token, sent as `Authorization: Bearer <token>`. Shown only here; null when the ' +
        'session was set as a cookie (`input.cookie`).',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the session ends unless revoked earlier.',
    }),
    admin: t.field({
      type: AdminType,
      nullable: true,
      description: 'The admin signed in.',
      resolve: (p) => p.admin,
    }),
    errors: t.field({
      type: [AdminAuthError],
      description: 'Invalid input; empty on success.',
      resolve: (p) => p.errors,
    }),
  }),
});

const AdminLoginInput = builder.inputType('AdminLoginInput', {
  description: 'Credentials of an admin.',
  fields: (t) => ({
    username: t.string({ required: true, description: 'The admin username.' }),
    password: t.string({ required: true, description: 'The admin password.' }),
    cookie: t.boolean({
      required: false,
      defaultValue: false,
      description:
        'For the console in a browser: when true, the session is set as an HttpOnly, ' +
        'SameSite=Strict cookie instead of being returned as `token`, and later requests carrying ' +
        'the cookie are signed in. Such a request, and every request with the cookie, must carry ' +
        'the `x-graphql-yoga-csrf` header and come from the public origin, else it is a top-level ' +
        '`FORBIDDEN` error (HTTP 403 for requests with the cookie) and nothing is done.',
    }),
  }),
});

const AdminLogoutPayload = builder
  .objectRef<{ loggedOut: boolean; errors: never[] }>('AdminLogoutPayload')
  .implement({
    description: 'Result of adminLogout.',
    fields: (t) => ({
      loggedOut: t.exposeBoolean('loggedOut', {
        description: 'True once the current session is revoked.',
      }),
      errors: t.field({
        type: [AdminAuthError],
        description: 'Always empty; present for the payload convention.',
        resolve: (p) => p.errors,
      }),
    }),
  });

builder.queryField('viewer', (t) =>
  t.field({
    type: AdminType,
    nullable: true,
    description:
      'The signed-in admin, or null when the request carries no valid admin session (the console ' +
      'asks this on load to know whether its session cookie is still signed in).',
    resolve: (_root, _args, ctx) => (ctx.principal.kind === 'admin' ? ctx.principal.admin : null),
  }),
);

builder.mutationField('adminLogin', (t) =>
  t.field({
    type: AdminLoginPayload,
    description:
      'Signs an admin in and returns a session token. Wrong credentials are a top-level ' +
      '`UNAUTHENTICATED` error; a locked account is `ACCOUNT_LOCKED` (6 failures in 30 minutes lock it for 30 minutes).',
    args: { input: t.arg({ type: AdminLoginInput, required: true, description: 'Credentials.' }) },
    resolve: async (_root, { input }, ctx) => {
      const errors = (['username', 'password'] as const)
        .filter((field) => input[field] === '')
        .map((field) =>
          domainError('REQUIRED', `"${field}" is required. Enter and try again.`, `input.${field}`),
        );
      if (input.cookie && ctx.browserSession.refusal)
        throw topLevelError('FORBIDDEN', ctx.browserSession.refusal.message);
      if (errors.length > 0)
        return refused({ token: null, expiresAt: null, admin: null }, ...errors);
      const limit = await ctx.services.rateLimiter.check('signin', ctx.actor.clientIp ?? 'unknown');
      if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds);
      const result = await ctx.services.adminAuth.login(input.username, input.password, ctx.actor);
      if (!result.ok) {
        throw result.reason === 'ACCOUNT_LOCKED'
          ? accountLocked()
          : topLevelError('UNAUTHENTICATED', SIGN_IN_FAILED_MESSAGE);
      }
      if (!input.cookie) {
        return {
          token: result.token,
          expiresAt: result.expiresAt,
          admin: result.admin,
          errors: [],
        };
      }
      // A browser holds one console session: the one it replaces ends now.
      if (ctx.browserSession.viaCookie && ctx.principal.kind === 'admin')
        await ctx.services.adminAuth.logout(ctx.principal.sessionId);
      ctx.browserSession.start(result.token);
      return { token: null, expiresAt: result.expiresAt, admin: result.admin, errors: [] };
    },
  }),
);

builder.mutationField('adminLogout', (t) =>
  t.field({
    type: AdminLogoutPayload,
    description:
      'Revokes the session the request is signed in with; for the console session cookie, the ' +
      'answer also removes the cookie.',
    resolve: async (_root, _args, ctx) => {
      if (ctx.principal.kind === 'admin')
        await ctx.services.adminAuth.logout(ctx.principal.sessionId);
      if (ctx.browserSession.viaCookie) ctx.browserSession.end();
      return { loggedOut: true, errors: [] };
    },
  }),
);
