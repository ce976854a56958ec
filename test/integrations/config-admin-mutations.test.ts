import { beforeEach, describe, expect, it } from 'vitest';
import {
  ACTIVATE,
  type AdminApp,
  adminApp,
  DELETE,
  INTEGRATION,
  REAUTHORIZE,
  signingCredentials,
  UPDATE,
} from '../support/admin-client.js';
import type { CallbackListener } from '../support/callback-listener.js';
import {
  declaration,
  idOf,
  integrationByName,
  sync,
  VIEWER,
} from '../support/integrations-config.js';
import { completeHandshake, loopbackExchange, signedGraphql } from '../support/oauth-flow.js';
import { auditRows, grantRows } from '../support/rows.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

describe('admin mutations on CONFIG integrations', () => {
  let admin: AdminApp;
  let id: string;

  const activate = async (integrationId: string) => {
    const response = await admin.gql(ACTIVATE, {
      id: integrationId,
      currentPassword: ADMIN_PASSWORD,
    });
    expect(response.errors).toBeUndefined();
    return response.data?.integrationActivate;
  };

  beforeEach(async () => {
    admin = await adminApp();
    await sync(admin.t, [
      declaration({
        email: 'ops@acme.example',
        callbackUrl: 'https://acme.example/cb',
        resources: ['Magento_Sales::sales', 'Magento_Cms::page'],
      }),
    ]);
    id = await idOf(admin.t, 'Acme ERP');
  });

  it('integrationUpdate is refused as NOT_EDITABLE and changes nothing', async () => {
    // given
    const before = await integrationByName(admin.t, 'Acme ERP');
    const inputs: Record<string, unknown>[] = [
      { name: 'Renamed' },
      { email: 'new@acme.example' },
      { callbackUrl: '' },
      { resourceAccess: 'ALL' },
      { resources: ['Magento_Cms::page'] },
    ];
    for (const input of inputs) {
      // when
      const response = await admin.gql(UPDATE, {
        id,
        input: { currentPassword: ADMIN_PASSWORD, ...input },
      });

      // then
      expect(response.errors).toBeUndefined();
      expect(response.data?.integrationUpdate, JSON.stringify(input)).toEqual({
        integration: null,
        errors: [
          {
            code: 'NOT_EDITABLE',
            field: null,
            message: "The integrations created in the config file can't be edited.",
          },
        ],
      });
    }
    expect(await integrationByName(admin.t, 'Acme ERP')).toEqual(before);
    expect(await grantRows(admin.t, id)).toEqual(['Magento_Cms::page', 'Magento_Sales::sales']);
    expect(await auditRows(admin.t, 'INTEGRATION_UPDATED')).toEqual([]);
  });

  it('integrationDelete is refused as NOT_DELETABLE naming the integration', async () => {
    // when
    const response = await admin.gql(DELETE, { id, currentPassword: ADMIN_PASSWORD });

    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?.integrationDelete).toEqual({
      deletedId: null,
      errors: [
        {
          code: 'NOT_DELETABLE',
          field: null,
          message: "Uninstall the extension to remove integration 'Acme ERP'.",
        },
      ],
    });
    expect(await integrationByName(admin.t, 'Acme ERP')).not.toBeNull();
    expect(await auditRows(admin.t, 'INTEGRATION_DELETED')).toEqual([]);
  });

  it('integrationDelete is refused for an undeclared (drifted) CONFIG integration too', async () => {
    // given
    await sync(admin.t, []);

    // when
    const response = await admin.gql(DELETE, { id, currentPassword: ADMIN_PASSWORD });

    // then
    expect(response.data?.integrationDelete.errors).toEqual([
      expect.objectContaining({ code: 'NOT_DELETABLE' }),
    ]);
    expect(await integrationByName(admin.t, 'Acme ERP')).not.toBeNull();
  });

  it('integrationActivate and integrationReauthorize work directly, as for MANUAL ones', async () => {
    // given: declared with one URL only, so tokens are issued directly
    // when
    const activated = await activate(id);

    // then
    expect(activated.errors).toEqual([]);
    expect(activated.integration).toMatchObject({
      status: 'ACTIVE',
      setupType: 'CONFIG',
      hasAccessToken: true,
    });
    const first = signingCredentials(activated.credentials);
    expect((await signedGraphql(admin.t, first, VIEWER)).status).toBe(200);

    // when
    const response = await admin.gql(REAUTHORIZE, { id, currentPassword: ADMIN_PASSWORD });

    // then
    expect(response.errors).toBeUndefined();
    const reauthorized = response.data?.integrationReauthorize;
    expect(reauthorized.errors).toEqual([]);
    expect(reauthorized.integration).toMatchObject({ status: 'ACTIVE', setupType: 'CONFIG' });
    const second = signingCredentials(reauthorized.credentials);
    expect(second.consumerKey).toBe(first.consumerKey);
    expect(second.token).not.toBe(first.token);
    expect((await signedGraphql(admin.t, first, VIEWER)).status).toBe(401);
    const fresh = await signedGraphql(admin.t, second, VIEWER);
    expect(fresh.status).toBe(200);
    expect(fresh.json.data?.viewerIntegration).toEqual({ id, name: 'Acme ERP' });
    expect(await auditRows(admin.t, 'INTEGRATION_ACTIVATED')).toHaveLength(1);
    expect(await auditRows(admin.t, 'INTEGRATION_REAUTHORIZED')).toHaveLength(1);
  });

  it('integrationActivate refuses an ACTIVE one and integrationReauthorize a RESET one', async () => {
    // given
    expect((await activate(id)).errors).toEqual([]);

    // when
    const twice = await activate(id);
    await sync(admin.t, [declaration({ email: 'changed@acme.example' })]);
    const reauthorizeReset = await admin.gql(REAUTHORIZE, { id, currentPassword: ADMIN_PASSWORD });

    // then
    expect(twice.errors).toEqual([
      expect.objectContaining({
        code: 'INVALID_STATUS',
        message:
          "The integration 'Acme ERP' is already active; reauthorize it to rotate its access token.",
      }),
    ]);
    expect(reauthorizeReset.data?.integrationReauthorize.errors).toEqual([
      expect.objectContaining({
        code: 'INVALID_STATUS',
        message: "Only an active integration can be reauthorized; activate 'Acme ERP' first.",
      }),
    ]);
    const read = await admin.gql(INTEGRATION, { id });
    expect(read.data?.integration).toMatchObject({ status: 'RESET', hasAccessToken: false });
  });

  describe('through the token exchange', () => {
    let listener: CallbackListener;

    beforeEach(async () => {
      ({ admin, listener } = await loopbackExchange());
      await sync(admin.t, [
        declaration({
          name: 'Exchange shop',
          callbackUrl: listener.url(),
          identityLinkUrl: 'https://id.example.com/link',
        }),
      ]);
      id = await idOf(admin.t, 'Exchange shop');
    });

    it('activates a CONFIG integration with both URLs, and again after a RESET', async () => {
      // when
      const first = await completeHandshake(admin, listener, id);

      // then
      expect((await signedGraphql(admin.t, first.credentials, VIEWER)).status).toBe(200);
      expect((await integrationByName(admin.t, 'Exchange shop'))?.status).toBe('ACTIVE');

      // when: the declaration changes, then the exchange runs again
      await sync(admin.t, [
        declaration({
          name: 'Exchange shop',
          callbackUrl: listener.url(),
          identityLinkUrl: 'https://id.example.com/link',
          resources: ['Magento_Cms::page'],
        }),
      ]);
      const refused = await signedGraphql(admin.t, first.credentials, VIEWER);
      const second = await completeHandshake(admin, listener, id);

      // then
      expect(refused.status).toBe(401);
      expect((await signedGraphql(admin.t, second.credentials, VIEWER)).status).toBe(200);
      expect((await signedGraphql(admin.t, first.credentials, VIEWER)).status).toBe(401);
      expect((await integrationByName(admin.t, 'Exchange shop'))?.status).toBe('ACTIVE');
    });
  });
});
