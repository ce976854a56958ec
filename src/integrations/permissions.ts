import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone, isAdmin, isReauthenticatedAdmin } from '../permissions/rules.js';

export const integrationPermissions: PermissionFragment = {
  Query: { integrations: isAdmin, integration: isAdmin },
  Mutation: {
    integrationCreate: isReauthenticatedAdmin,
    integrationUpdate: isReauthenticatedAdmin,
    integrationDelete: isReauthenticatedAdmin,
    integrationCredentialsReveal: isReauthenticatedAdmin,
    integrationActivate: isReauthenticatedAdmin,
    integrationReauthorize: isReauthenticatedAdmin,
    integrationCallbackRetry: isReauthenticatedAdmin,
  },
  // Reachable only through the admin-only fields above.
  Integration: everyone,
  IntegrationConnection: everyone,
  IntegrationEdge: everyone,
  IntegrationError: everyone,
  IntegrationCredentials: everyone,
  IntegrationTokenExchange: everyone,
  IntegrationCreatePayload: everyone,
  IntegrationUpdatePayload: everyone,
  IntegrationDeletePayload: everyone,
  IntegrationActivatePayload: everyone,
  IntegrationReauthorizePayload: everyone,
  IntegrationCallbackRetryPayload: everyone,
  IntegrationCallbackDelivery: everyone,
  IntegrationCredentialsRevealPayload: everyone,
};
