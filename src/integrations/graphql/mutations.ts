import { ResourceAccessEnum } from '../../acl/graphql.js';
import type { Outcome } from '../../errors.js';
import { builder } from '../../graphql/builder.js';
import { domainErrorType } from '../../graphql/domain-error-type.js';
import { integrationId } from '../../graphql/ids.js';
import type { TokenExchangeStart } from '../../oauth/token-exchange.js';
import type { ActivationResult, Credentials } from '../activation-service.js';
import type { IntegrationErrorCode } from '../integration-input.js';
import type { IntegrationRow } from '../integration-repository.js';
import { IntegrationType } from './types.js';

const IntegrationError = domainErrorType('IntegrationError', {
  REQUIRED: 'A required field is empty.',
  INVALID: 'A field has an invalid value.',
  UNIQUE: 'Another integration already has this name.',
  NOT_FOUND: 'No integration has this ID.',
  INVALID_STATUS: 'The integration is not in a status that allows this operation.',
  NOT_EDITABLE: 'Integrations declared in configuration cannot be edited.',
  NOT_DELETABLE: 'Integrations declared in configuration cannot be deleted.',
  CALLBACK_FAILED:
    'Posting the credentials to the callback URL failed; the integration has no live tokens.',
} satisfies Record<IntegrationErrorCode, string>);

const CurrentPassword = {
  description: "The signed-in admin's own password, checked again before the change.",
};

const integrationFields = (required: boolean) =>
  builder.inputType(required ? 'IntegrationCreateInput' : 'IntegrationUpdateInput', {
    description: required
      ? 'A new integration.'
      : 'Changes to an integration; omitted fields keep their value, empty strings clear optional ones.',
    fields: (t) => ({
      name: t.string({ required, description: 'Unique name, 1 to 255 characters (trimmed).' }),
      email: t.string({ description: 'Contact email address (at most 254 characters).' }),
      callbackUrl: t.string({ description: 'Absolute http(s) URL, at most 255 characters.' }),
      identityLinkUrl: t.string({ description: 'Absolute http(s) URL, at most 255 characters.' }),
      resourceAccess: t.field({
        type: ResourceAccessEnum,
        required,
        description: 'ALL, or CUSTOM with `resources`.',
      }),
      resources: t.stringList({
        description:
          'ACL resource ids from `aclResources`; required and non-empty for CUSTOM; at most 500.',
      }),
      currentPassword: t.string({ required: true, ...CurrentPassword }),
    }),
  });

const IntegrationCreateInput = integrationFields(true);
const IntegrationUpdateInput = integrationFields(false);

const IntegrationCredentialsType = builder
  .objectRef<Credentials>('IntegrationCredentials')
  .implement({
    description:
      'OAuth 1.0a credentials of an integration. Secrets: show them only to whoever configures the third party.',
    fields: (t) => ({
      consumerKey: t.exposeString('consumerKey', { description: 'Consumer key.' }),
      consumerSecret: t.exposeString('consumerSecret', { description: 'Consumer secret.' }),
      accessToken: t.exposeString('accessToken', {
        nullable: true,
        description: 'Access token; null until the integration is activated.',
      }),
      accessTokenSecret: t.exposeString('accessTokenSecret', {
        nullable: true,
        description: 'Access token secret; null until the integration is activated.',
      }),
    }),
  });

const IntegrationTokenExchangeType = builder
  .objectRef<TokenExchangeStart>('IntegrationTokenExchange')
  .implement({
    description:
      'A started OAuth token exchange: the third party received the consumer credentials and a verifier at its callback URL and must call /oauth/token/request and /oauth/token/access.',
    fields: (t) => ({
      identityLinkUrl: t.exposeString('identityLinkUrl', {
        description:
          'Identity link URL with `oauth_consumer_key` and `success_call_back` added; open it in a popup.',
      }),
      consumerKey: t.exposeString('consumerKey', {
        description: 'The consumer key being exchanged.',
      }),
      expiresAt: t.expose('expiresAt', {
        type: 'DateTime',
        description: 'The request-token step must happen before this instant (300 seconds).',
      }),
    }),
  });

const integrationPayload = (name: string, description: string) =>
  builder
    .objectRef<Outcome<{ integration: IntegrationRow | null }, IntegrationErrorCode>>(name)
    .implement({
      description,
      fields: (t) => ({
        integration: t.field({
          type: IntegrationType,
          nullable: true,
          description: 'The integration as saved; null when `errors` is not empty.',
          resolve: (p) => p.integration,
        }),
        errors: t.field({
          type: [IntegrationError],
          description: 'Invalid input; empty on success.',
          resolve: (p) => p.errors,
        }),
      }),
    });

const credentialsPayload = (name: string, description: string) =>
  builder.objectRef<Outcome<ActivationResult, IntegrationErrorCode>>(name).implement({
    description,
    fields: (t) => ({
      integration: t.field({
        type: IntegrationType,
        nullable: true,
        description: 'The integration after the change.',
        resolve: (p) => p.integration,
      }),
      credentials: t.field({
        type: IntegrationCredentialsType,
        nullable: true,
        description:
          'The four credentials, shown once here; null when the token exchange was started instead.',
        resolve: (p) => p.credentials,
      }),
      tokenExchange: t.field({
        type: IntegrationTokenExchangeType,
        nullable: true,
        description:
          'Set when the credentials were posted to the callback URL: open `identityLinkUrl` for the admin to finish the exchange.',
        resolve: (p) => p.tokenExchange,
      }),
      errors: t.field({
        type: [IntegrationError],
        description: 'Refusals; empty on success.',
        resolve: (p) => p.errors,
      }),
    }),
  });

const IntegrationCreatePayload = integrationPayload(
  'IntegrationCreatePayload',
  'Result of integrationCreate.',
);
const IntegrationUpdatePayload = integrationPayload(
  'IntegrationUpdatePayload',
  'Result of integrationUpdate.',
);
const IntegrationActivatePayload = credentialsPayload(
  'IntegrationActivatePayload',
  'Result of integrationActivate.',
);
const IntegrationReauthorizePayload = credentialsPayload(
  'IntegrationReauthorizePayload',
  'Result of integrationReauthorize.',
);

const IntegrationCallbackRetryPayload = credentialsPayload(
  'IntegrationCallbackRetryPayload',
  'Result of integrationCallbackRetry.',
);

const IntegrationDeletePayload = builder
  .objectRef<Outcome<{ deletedId: number | null }, IntegrationErrorCode>>(
    'IntegrationDeletePayload',
  )
  .implement({
    description: 'Result of integrationDelete.',
    fields: (t) => ({
      deletedId: t.exposeID('deletedId', {
        nullable: true,
        description: 'ID of the deleted integration.',
      }),
      errors: t.field({
        type: [IntegrationError],
        description: 'Refusals; empty on success.',
        resolve: (p) => p.errors,
      }),
    }),
  });

const IntegrationCredentialsRevealPayload = builder
  .objectRef<Outcome<{ credentials: Credentials | null }, IntegrationErrorCode>>(
    'IntegrationCredentialsRevealPayload',
  )
  .implement({
    description: 'Result of integrationCredentialsReveal.',
    fields: (t) => ({
      credentials: t.field({
        type: IntegrationCredentialsType,
        nullable: true,
        description: 'The current credentials.',
        resolve: (p) => p.credentials,
      }),
      errors: t.field({
        type: [IntegrationError],
        description: 'Refusals; empty on success.',
        resolve: (p) => p.errors,
      }),
    }),
  });

const ID_ARG = { required: true, description: 'Integration ID.' } as const;

/** An integration and the admin's password: the arguments of every guarded id-only mutation. */
const idAndPassword = builder.args((t) => ({
  id: t.id(ID_ARG),
  currentPassword: t.string({ required: true, ...CurrentPassword }),
}));

const withoutPassword = <T extends { currentPassword: string }>({
  currentPassword: _,
  ...rest
}: T) => rest;

builder.mutationField('integrationCreate', (t) =>
  t.field({
    type: IntegrationCreatePayload,
    description:
      'Creates an INACTIVE integration with its OAuth consumer. Re-authenticates the admin.',
    args: {
      input: t.arg({
        type: IntegrationCreateInput,
        required: true,
        description: 'The integration.',
      }),
    },
    resolve: (_root, { input }, ctx) =>
      ctx.services.integrations.create(withoutPassword(input), ctx.actor),
  }),
);

builder.mutationField('integrationUpdate', (t) =>
  t.field({
    type: IntegrationUpdatePayload,
    description:
      'Changes an integration; new resources apply to its very next request. Re-authenticates the admin.',
    args: {
      id: t.arg.id(ID_ARG),
      input: t.arg({ type: IntegrationUpdateInput, required: true, description: 'The changes.' }),
    },
    resolve: (_root, { id, input }, ctx) =>
      ctx.services.integrations.update(integrationId(id), withoutPassword(input), ctx.actor),
  }),
);

builder.mutationField('integrationDelete', (t) =>
  t.field({
    type: IntegrationDeletePayload,
    description:
      'Deletes an integration with its consumer, tokens, nonces and grants. Re-authenticates the admin.',
    args: idAndPassword,
    resolve: (_root, { id }, ctx) => ctx.services.integrations.delete(integrationId(id), ctx.actor),
  }),
);

builder.mutationField('integrationActivate', (t) =>
  t.field({
    type: IntegrationActivatePayload,
    description:
      'Activates an inactive integration. Without both a callback URL and an identity link URL it issues an access token and returns the four credentials once; with both it posts the consumer credentials and a verifier to the callback URL and returns `tokenExchange` (the integration becomes ACTIVE when the third party completes /oauth/token/access). Re-authenticates the admin.',
    args: idAndPassword,
    resolve: (_root, { id }, ctx) =>
      ctx.services.integrations.activate(integrationId(id), ctx.actor),
  }),
);

builder.mutationField('integrationReauthorize', (t) =>
  t.field({
    type: IntegrationReauthorizePayload,
    description:
      'Rotates the access token and secret of an active integration (the consumer stays); the old token stops working at once. With both URLs set it starts a new token exchange instead and the integration is INACTIVE until it completes. Re-authenticates the admin.',
    args: idAndPassword,
    resolve: (_root, { id }, ctx) =>
      ctx.services.integrations.reauthorize(integrationId(id), ctx.actor),
  }),
);

builder.mutationField('integrationCredentialsReveal', (t) =>
  t.field({
    type: IntegrationCredentialsRevealPayload,
    description:
      'Shows the current credentials of an integration again. Re-authenticates the admin; audited.',
    args: idAndPassword,
    resolve: (_root, { id }, ctx) =>
      ctx.services.integrations.revealCredentials(integrationId(id), ctx.actor),
  }),
);

builder.mutationField('integrationCallbackRetry', (t) =>
  t.field({
    type: IntegrationCallbackRetryPayload,
    description:
      'After a failed callback POST (`callbackDelivery.status` FAILED), starts a new token exchange: new verifier, credentials posted again. Re-authenticates the admin.',
    args: idAndPassword,
    resolve: (_root, { id }, ctx) =>
      ctx.services.integrations.retryCallback(integrationId(id), ctx.actor),
  }),
);
