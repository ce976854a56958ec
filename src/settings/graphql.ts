import { AdminType } from '../admin-auth/graphql.js';
import type { Outcome } from '../errors.js';
import { builder } from '../graphql/builder.js';
import { domainErrorType } from '../graphql/domain-error-type.js';
import type { SecuritySettingsView } from './settings-repository.js';
import type { SecuritySettingsErrorCode } from './settings-service.js';

const SecuritySettingsType = builder.objectRef<SecuritySettingsView>('SecuritySettings').implement({
  description: 'Security settings of the gateway; one set for the whole installation.',
  fields: (t) => ({
    allowAnonymousGuestAccess: t.exposeBoolean('allowAnonymousGuestAccess', {
      description: 'Let anonymous callers read catalog, CMS and store data (default false).',
    }),
    allowIntegrationTokensAsBearer: t.exposeBoolean('allowIntegrationTokensAsBearer', {
      description:
        'Accept an integration access token as `Authorization: Bearer` without an OAuth signature (default false).',
    }),
    allowHmacSha1: t.exposeBoolean('allowHmacSha1', {
      description:
        'Accept OAuth signatures made with HMAC-SHA1 besides HMAC-SHA256 (default false; SHA-1 is weaker).',
    }),
    requireBodyHash: t.exposeBoolean('requireBodyHash', {
      description:
        'Require `oauth_body_hash` on signed requests with a non-form body, so the GraphQL document is covered by the signature (default false).',
    }),
    allowAnonymousIntrospection: t.exposeBoolean('allowAnonymousIntrospection', {
      description:
        'Let anonymous callers introspect the schema (default false; admins and integrations always may).',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When a setting last changed.',
    }),
    updatedBy: t.field({
      type: AdminType,
      nullable: true,
      description: 'Who last changed a setting; null before any change or when that admin is gone.',
      resolve: (settings) => settings.updatedBy,
    }),
  }),
});

const SecuritySettingsError = domainErrorType('SecuritySettingsError', {
  REQUIRED: 'No setting was given to change.',
} satisfies Record<SecuritySettingsErrorCode, string>);

const SecuritySettingsUpdateInput = builder.inputType('SecuritySettingsUpdateInput', {
  description: 'Settings to change; omitted ones keep their value.',
  fields: (t) => ({
    allowAnonymousGuestAccess: t.boolean({
      description: 'See SecuritySettings.allowAnonymousGuestAccess.',
    }),
    allowIntegrationTokensAsBearer: t.boolean({
      description: 'See SecuritySettings.allowIntegrationTokensAsBearer.',
    }),
    allowHmacSha1: t.boolean({ description: 'See SecuritySettings.allowHmacSha1.' }),
    requireBodyHash: t.boolean({ description: 'See SecuritySettings.requireBodyHash.' }),
    allowAnonymousIntrospection: t.boolean({
      description: 'See SecuritySettings.allowAnonymousIntrospection.',
    }),
    currentPassword: t.string({
      required: true,
      description: "The signed-in admin's own password, checked again before the change.",
    }),
  }),
});

const SecuritySettingsUpdatePayload = builder
  .objectRef<Outcome<{ settings: SecuritySettingsView | null }, SecuritySettingsErrorCode>>(
    'SecuritySettingsUpdatePayload',
  )
  .implement({
    description: 'Result of securitySettingsUpdate.',
    fields: (t) => ({
      securitySettings: t.field({
        type: SecuritySettingsType,
        nullable: true,
        description: 'The settings after the change.',
        resolve: (p) => p.settings,
      }),
      errors: t.field({
        type: [SecuritySettingsError],
        description: 'Invalid input; empty on success.',
        resolve: (p) => p.errors,
      }),
    }),
  });

builder.queryField('securitySettings', (t) =>
  t.field({
    type: SecuritySettingsType,
    description: 'The current security settings. Admins only.',
    resolve: (_root, _args, ctx) => ctx.services.settings.read(),
  }),
);

builder.mutationField('securitySettingsUpdate', (t) =>
  t.field({
    type: SecuritySettingsUpdatePayload,
    description:
      'Changes security settings; they apply from the next request. Re-authenticates the admin.',
    args: {
      input: t.arg({
        type: SecuritySettingsUpdateInput,
        required: true,
        description: 'The changes.',
      }),
    },
    resolve: (_root, { input: { currentPassword: _, ...change } }, ctx) =>
      ctx.services.settings.update(change, ctx.actor),
  }),
);
