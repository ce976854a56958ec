import { ResourceAccessEnum } from '../../acl/graphql.js';
import type { INTEGRATION_STATUSES, SETUP_TYPES } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { connectionType, OrderDirectionEnum, pageArgs } from '../../graphql/connection.js';
import { integrationId } from '../../graphql/ids.js';
import { type ColumnsOfFields, columnsOfConnectionNodes } from '../../graphql/selection.js';
import { isSecure } from '../integration-input.js';
import type { CallbackDeliveryView, IntegrationRow } from '../integration-repository.js';
import type { IntegrationPage } from '../integration-service.js';

const IntegrationStatusEnum = builder.enumType('IntegrationStatus', {
  description: 'Lifecycle state of an integration.',
  values: {
    INACTIVE: { description: 'Saved but holding no access token (the state after create).' },
    ACTIVE: { description: 'Holding a live access token; signed requests are accepted.' },
    RESET: { description: 'Its configuration declaration changed; it must be activated again.' },
  } satisfies Record<(typeof INTEGRATION_STATUSES)[number], object>,
});

const SetupTypeEnum = builder.enumType('IntegrationSetupType', {
  description: 'How an integration was defined.',
  values: {
    MANUAL: { description: 'Created by an admin.' },
    CONFIG: { description: 'Declared in configuration; admins cannot edit or delete it.' },
  } satisfies Record<(typeof SETUP_TYPES)[number], object>,
});

const CallbackDeliveryType = builder
  .objectRef<CallbackDeliveryView>('IntegrationCallbackDelivery')
  .implement({
    description: 'The latest credentials POST to the callback URL (token exchange).',
    fields: (t) => ({
      status: t.exposeString('status', {
        description:
          'PENDING (queued or being sent), DELIVERED or FAILED (see integrationCallbackRetry).',
      }),
      attempts: t.exposeInt('attempts', { description: 'Delivery attempts so far.' }),
      lastError: t.exposeString('lastError', {
        nullable: true,
        description: 'Why the last attempt failed (HTTP status or a policy refusal), if it did.',
      }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
    }),
  });

/** The row properties each Integration field reads; fields loaded by id read none. */
export const INTEGRATION_FIELD_COLUMNS: ColumnsOfFields<IntegrationRow> = {
  id: ['id'],
  name: ['name'],
  email: ['email'],
  callbackUrl: ['callbackUrl'],
  identityLinkUrl: ['identityLinkUrl'],
  status: ['status'],
  setupType: ['setupType'],
  isSecure: ['callbackUrl', 'identityLinkUrl'],
  resourceAccess: ['resourceAccess'],
  resources: [],
  consumerKey: [],
  hasAccessToken: [],
  accessTokenIssuedAt: [],
  callbackDelivery: [],
  lastUsedAt: ['lastUsedAt'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
};

export const IntegrationType = builder.objectRef<IntegrationRow>('Integration').implement({
  description: 'A third-party system allowed to call this gateway with OAuth 1.0a credentials.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    name: t.exposeString('name', { description: 'Unique name (case-insensitive).' }),
    email: t.exposeString('email', { nullable: true, description: 'Contact email address.' }),
    callbackUrl: t.exposeString('callbackUrl', {
      nullable: true,
      description: 'Where OAuth credentials are posted during the token exchange.',
    }),
    identityLinkUrl: t.exposeString('identityLinkUrl', {
      nullable: true,
      description: 'Where the admin is sent to link their third-party account.',
    }),
    status: t.expose('status', { type: IntegrationStatusEnum, description: 'Lifecycle state.' }),
    setupType: t.expose('setupType', { type: SetupTypeEnum, description: 'How it was defined.' }),
    isSecure: t.boolean({
      description:
        'False when the callback URL or the identity link URL uses plain `http:` ("Integration not secure"); empty URLs count as secure.',
      resolve: (integration) => isSecure(integration),
    }),
    resourceAccess: t.expose('resourceAccess', {
      type: ResourceAccessEnum,
      description: 'ALL or CUSTOM resource access.',
    }),
    resources: t.stringList({
      description: 'Granted ACL resource ids (sorted); empty for ALL.',
      resolve: (integration, _args, ctx) => ctx.loaders.integrationGrants.load(integration.id),
    }),
    consumerKey: t.string({
      nullable: true,
      description: 'The OAuth consumer key (not a secret: it identifies the integration).',
      resolve: async (integration, _args, ctx) =>
        (await ctx.loaders.integrationCredentials.load(integration.id))?.consumerKey ?? null,
    }),
    hasAccessToken: t.boolean({
      description: 'True while a live access token exists.',
      resolve: async (integration, _args, ctx) =>
        Boolean(
          (await ctx.loaders.integrationCredentials.load(integration.id))?.accessTokenIssuedAt,
        ),
    }),
    accessTokenIssuedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the live access token was issued.',
      resolve: async (integration, _args, ctx) =>
        (await ctx.loaders.integrationCredentials.load(integration.id))?.accessTokenIssuedAt ??
        null,
    }),
    callbackDelivery: t.field({
      type: CallbackDeliveryType,
      nullable: true,
      description: 'The latest token-exchange callback POST, if there was one.',
      resolve: (integration, _args, ctx) =>
        ctx.loaders.integrationCallbackDelivery.load(integration.id),
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last made an authenticated request (updated at most once a minute).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const IntegrationConnection = connectionType<IntegrationRow, IntegrationPage>(
  'Integration',
  IntegrationType,
  'integration',
);

builder.objectField(IntegrationConnection, 'insecureCount', (t) =>
  t.int({
    description:
      'How many integrations of the filtered list are not secure; drives the grid warning "Integrations not using HTTPS are insecure".',
    resolve: (page) => page.insecureCount(),
  }),
);

builder.objectField(IntegrationConnection, 'configDrift', (t) =>
  t.field({
    type: [IntegrationType],
    description:
      'Integrations declared in configuration (setup type CONFIG) that the current declaration file no longer lists. They are left in place; remove them deliberately.',
    resolve: (_page, _args, ctx) => ctx.services.integrations.configDrift(),
  }),
);

const IntegrationFilterInput = builder.inputType('IntegrationFilter', {
  description: 'Narrows the integrations list; all given conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: IntegrationStatusEnum, description: 'Only this status.' }),
    nameContains: t.string({ description: 'Name contains this text (case-insensitive).' }),
    setupType: t.field({ type: SetupTypeEnum, description: 'Only this setup type.' }),
  }),
});

const IntegrationOrderField = builder.enumType('IntegrationOrderField', {
  description: 'Sort keys of the integrations list (ties are broken by ID).',
  values: {
    NAME: { description: 'By name.' },
    STATUS: { description: 'By status label.' },
    CREATED_AT: { description: 'By creation time.' },
  },
});

const IntegrationOrderInput = builder.inputType('IntegrationOrder', {
  description: 'Sort order of the integrations list.',
  fields: (t) => ({
    field: t.field({ type: IntegrationOrderField, required: true, description: 'Sort key.' }),
    direction: t.field({
      type: OrderDirectionEnum,
      required: true,
      description: 'Direction.',
    }),
  }),
});

builder.queryField('integrations', (t) =>
  t.field({
    type: IntegrationConnection,
    description:
      'Integrations, a page at a time (keyset pagination; default order CREATED_AT ASC). Admins only.',
    args: {
      ...pageArgs(t.arg),
      filter: t.arg({ type: IntegrationFilterInput, description: 'Conditions to match.' }),
      orderBy: t.arg({ type: IntegrationOrderInput, description: 'Sort order.' }),
    },
    resolve: (_root, args, ctx, info) =>
      ctx.services.integrations.list({
        ...args,
        columns: columnsOfConnectionNodes(info, INTEGRATION_FIELD_COLUMNS),
      }),
  }),
);

builder.queryField('integration', (t) =>
  t.field({
    type: IntegrationType,
    nullable: true,
    description: 'One integration by ID, or null when it does not exist. Admins only.',
    args: { id: t.arg.id({ required: true, description: 'Integration ID.' }) },
    resolve: (_root, { id }, ctx) => ctx.services.integrations.find(integrationId(id)),
  }),
);
