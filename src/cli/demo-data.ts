import type { Actor } from '../audit/actor.js';
import type { Services } from '../services.js';

const DEMO_ACTOR: Actor = {
  adminId: null,
  adminUsername: 'demo-seed',
  requestId: null,
  clientIp: null,
};

/**
 * A few integrations in different states, created once when there are none yet. The demo also
 * opens anonymous introspection, so GraphiQL shows the schema before the admin signs in.
 */
export async function seedDemoIntegrations(services: Services): Promise<number> {
  const existing = await services.integrations.list({ first: 1 });
  if ((await existing.totalCount()) > 0) return 0;
  const definitions = [
    {
      name: 'ERP Connector',
      email: 'erp-team@example.com',
      resourceAccess: 'ALL' as const,
      activate: true,
    },
    {
      name: 'Catalog Feed',
      email: 'feeds@example.com',
      resourceAccess: 'CUSTOM' as const,
      resources: ['Magento_Catalog::catalog', 'Magento_Backend::store'],
      activate: true,
    },
    {
      name: 'Legacy Shipping Bridge',
      callbackUrl: 'http://shipping.example.com/oauth/callback',
      resourceAccess: 'CUSTOM' as const,
      resources: ['Magento_Sales::actions_view', 'Magento_Sales::hold', 'Magento_Sales::unhold'],
      activate: false,
    },
  ];
  for (const { activate, ...fields } of definitions) {
    const { integration, errors } = await services.integrations.create(fields, DEMO_ACTOR);
    if (!integration) throw new Error(`Demo seed failed: ${JSON.stringify(errors)}`);
    if (activate) await services.integrations.activate(integration.id, DEMO_ACTOR);
  }
  await services.settings.update({ allowAnonymousIntrospection: true }, DEMO_ACTOR);
  return definitions.length;
}
