import { ResourceAccessEnum } from '../acl/graphql.js';
import { builder } from '../graphql/builder.js';
import type { IntegrationIdentity } from './principal.js';

const IntegrationViewerType = builder
  .objectRef<IntegrationIdentity>('IntegrationViewer')
  .implement({
    description: 'The integration a signed request is authenticated as.',
    fields: (t) => ({
      id: t.exposeID('id', { description: 'Integration ID.' }),
      name: t.exposeString('name', { description: 'Integration name.' }),
      resourceAccess: t.expose('resourceAccess', {
        type: ResourceAccessEnum,
        description: 'ALL or CUSTOM resource access.',
      }),
      resources: t.stringList({
        description: 'Granted ACL resource ids (sorted); empty for ALL.',
        resolve: (integration) => [...integration.resources].sort(),
      }),
    }),
  });

builder.queryField('viewerIntegration', (t) =>
  t.field({
    type: IntegrationViewerType,
    description: 'The calling integration and its grants. Integrations only (signed requests).',
    resolve: (_root, _args, ctx) => {
      if (ctx.principal.kind !== 'integration')
        throw new Error('viewerIntegration reached without an integration');
      return ctx.principal.integration;
    },
  }),
);
