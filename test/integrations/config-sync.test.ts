import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { createDatabase } from '../../src/db/client.js';
import { auditLog, integrationAclGrants, integrations } from '../../src/db/schema.js';
import { applyIntegrationsConfig } from '../../src/integrations/config-declarations.js';
import { logSyncReport } from '../../src/integrations/config-report.js';
import {
  ConfigClashError,
  DuplicateDeclarationError,
  declarationHash,
  syncConfigIntegrations,
} from '../../src/integrations/config-sync.js';
import {
  ACTIVATE,
  CREDENTIAL_FORMAT,
  createIntegration,
  INTEGRATION,
  signingCredentials,
} from '../support/admin-client.js';
import { recordStatements, testDatabase } from '../support/database.js';
import {
  declaration,
  declarationDir,
  idOf,
  integrationByName,
  sync,
  VIEWER,
} from '../support/integrations-config.js';
import { signedGraphql } from '../support/oauth-flow.js';
import { auditRows, consumerRow, countRows, grantRows, tokenRowsOf } from '../support/rows.js';
import {
  ADMIN_PASSWORD,
  createTestApp,
  PRODUCTION_ENV,
  TEST_ENCRYPTION_KEY,
  type TestApp,
} from '../support/test-app.js';

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

describe('syncConfigIntegrations', () => {
  let t: TestApp;
  let token: string;

  const activate = async (id: string) => {
    const response = await t.gql(ACTIVATE, { id, currentPassword: ADMIN_PASSWORD }, { token });
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationActivate;
    expect(payload.errors).toEqual([]);
    return {
      integration: payload.integration,
      credentials: signingCredentials(payload.credentials),
    };
  };

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('refuses two declarations that the database sees as one name, and writes nothing', async () => {
    // when "Café" and "Cafe" are declared (equal under utf8mb4_unicode_ci)
    const attempt = sync(t, [declaration({ name: 'Café' }), declaration({ name: 'Cafe' })]);

    // then
    await expect(attempt).rejects.toThrow(DuplicateDeclarationError);
    await expect(attempt).rejects.toThrow(/"Café" and "Cafe"/);
    expect(await integrationByName(t, 'Café')).toBeNull();
  });

  describe('a new declaration', () => {
    it('is created as an INACTIVE CONFIG integration with a consumer and its grants', async () => {
      // given
      const declared = declaration({
        callbackUrl: 'https://acme.example/cb',
        identityLinkUrl: 'https://acme.example/link',
        resources: ['Magento_Sales::sales', 'Magento_Cms::page'],
      });

      // when
      const report = await sync(t, [declared, declaration({ name: 'Reporting', email: null })]);

      // then
      expect(report).toEqual({
        created: ['Acme ERP', 'Reporting'],
        reset: [],
        unchanged: [],
        undeclared: [],
      });
      const row = await integrationByName(t, 'Acme ERP');
      expect(row).toMatchObject({
        name: 'Acme ERP',
        email: 'ops@acme.example',
        callbackUrl: 'https://acme.example/cb',
        identityLinkUrl: 'https://acme.example/link',
        status: 'INACTIVE',
        setupType: 'CONFIG',
        resourceAccess: 'CUSTOM',
        configHash: declarationHash(declared),
      });
      expect(await grantRows(t, row?.id ?? 0)).toEqual([
        'Magento_Cms::page',
        'Magento_Sales::sales',
      ]);
      const consumer = await consumerRow(t, row?.id ?? 0);
      expect(consumer?.consumerKey).toMatch(CREDENTIAL_FORMAT);
      expect(await tokenRowsOf(t, String(row?.id))).toEqual([]);
      const read = await t.gql(INTEGRATION, { id: String(row?.id) }, { token });
      expect(read.data?.integration).toMatchObject({
        name: 'Acme ERP',
        status: 'INACTIVE',
        setupType: 'CONFIG',
        resources: ['Magento_Cms::page', 'Magento_Sales::sales'],
        consumerKey: consumer?.consumerKey,
        hasAccessToken: false,
      });
    });

    it('is audited as INTEGRATION_CREATED by "config"', async () => {
      // when
      await sync(t, [declaration()]);

      // then
      const id = Number(await idOf(t, 'Acme ERP'));
      const rows = await auditRows(t, 'INTEGRATION_CREATED');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        adminId: null,
        adminUsername: 'config',
        integrationId: id,
        integrationName: 'Acme ERP',
      });
    });

    it('with ALL access stores no grants', async () => {
      await sync(t, [declaration({ resourceAccess: 'ALL', resources: [] })]);

      const row = await integrationByName(t, 'Acme ERP');
      expect(row?.resourceAccess).toBe('ALL');
      expect(await grantRows(t, row?.id ?? 0)).toEqual([]);
    });
  });

  describe('an unchanged declaration', () => {
    it('is reported unchanged and nothing is written', async () => {
      // given
      const declared = [declaration(), declaration({ name: 'Reporting', resourceAccess: 'ALL' })];
      await sync(t, declared);
      const before = await integrationByName(t, 'Acme ERP');
      const auditCount = await countRows(t, auditLog);
      t.clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 20));

      // when
      const { result: report, statements } = await recordStatements(() => sync(t, declared));

      // then
      expect(report).toEqual({
        created: [],
        reset: [],
        unchanged: ['Acme ERP', 'Reporting'],
        undeclared: [],
      });
      // The sync lock's own row is taken and given back; no data is written.
      const writes = statements.filter((statement) => WRITE.test(statement));
      expect(writes.filter((statement) => !statement.includes('`cluster_lock`'))).toEqual([]);
      expect(await integrationByName(t, 'Acme ERP')).toEqual(before);
      expect(await countRows(t, auditLog)).toBe(auditCount);
      expect(await countRows(t, integrations)).toBe(2);
    });

    it('does not depend on the order of the resources', async () => {
      // given
      await sync(t, [declaration({ resources: ['Magento_Sales::sales', 'Magento_Cms::page'] })]);
      const before = await integrationByName(t, 'Acme ERP');

      // when
      const report = await sync(t, [
        declaration({ resources: ['Magento_Cms::page', 'Magento_Sales::sales'] }),
      ]);

      // then
      expect(report.unchanged).toEqual(['Acme ERP']);
      expect(await integrationByName(t, 'Acme ERP')).toEqual(before);
    });

    it('keeps an ACTIVE integration active with its token', async () => {
      // given
      await sync(t, [declaration()]);
      const { credentials } = await activate(await idOf(t, 'Acme ERP'));

      // when
      const report = await sync(t, [declaration()]);

      // then
      expect(report.unchanged).toEqual(['Acme ERP']);
      expect((await integrationByName(t, 'Acme ERP'))?.status).toBe('ACTIVE');
      expect((await signedGraphql(t, credentials, VIEWER)).status).toBe(200);
    });
  });

  describe('a declaration stored before its URLs were normalised', () => {
    it('is the same declaration: the row takes the normalised URL, stays ACTIVE and keeps its token', async () => {
      // given: the row and fingerprint an earlier version wrote for `https://WMS.example.com:443/cb`
      const normalised = declaration({ callbackUrl: 'https://wms.example.com/cb' });
      await sync(t, [normalised]);
      const { credentials } = await activate(await idOf(t, 'Acme ERP'));
      const raw = 'https://WMS.example.com:443/cb';
      await t.database.db
        .update(integrations)
        .set({ callbackUrl: raw, configHash: declarationHash(declaration({ callbackUrl: raw })) })
        .where(eq(integrations.name, 'Acme ERP'));

      // when: today's reader hands the sync the normalised URL
      const report = await sync(t, [normalised]);

      // then
      expect(report).toEqual({ created: [], reset: [], unchanged: ['Acme ERP'], undeclared: [] });
      expect(await integrationByName(t, 'Acme ERP')).toMatchObject({
        status: 'ACTIVE',
        callbackUrl: 'https://wms.example.com/cb',
        configHash: declarationHash(normalised),
      });
      expect((await signedGraphql(t, credentials, VIEWER)).status).toBe(200);
    });
  });

  describe('a changed declaration', () => {
    it('updates the integration, replaces its grants and sets it RESET', async () => {
      // given
      await sync(t, [declaration()]);
      const before = await integrationByName(t, 'Acme ERP');
      const consumerBefore = await consumerRow(t, before?.id ?? 0);
      const changed = declaration({
        email: 'new@acme.example',
        callbackUrl: 'https://acme.example/v2/cb',
        identityLinkUrl: 'https://acme.example/v2/link',
        resources: ['Magento_Cms::page', 'Magento_Backend::dashboard'],
      });

      // when
      const report = await sync(t, [changed]);

      // then
      expect(report).toEqual({ created: [], reset: ['Acme ERP'], unchanged: [], undeclared: [] });
      const row = await integrationByName(t, 'Acme ERP');
      expect(row).toMatchObject({
        id: before?.id,
        email: 'new@acme.example',
        callbackUrl: 'https://acme.example/v2/cb',
        identityLinkUrl: 'https://acme.example/v2/link',
        status: 'RESET',
        setupType: 'CONFIG',
        configHash: declarationHash(changed),
      });
      expect(await grantRows(t, before?.id ?? 0)).toEqual([
        'Magento_Backend::dashboard',
        'Magento_Cms::page',
      ]);
      expect((await consumerRow(t, before?.id ?? 0))?.consumerKey).toBe(
        consumerBefore?.consumerKey,
      );
    });

    it('resets on a change of any one declared field', async () => {
      const changes: Record<string, Partial<ReturnType<typeof declaration>>> = {
        email: { email: 'other@acme.example' },
        'email removed': { email: null },
        callbackUrl: { callbackUrl: 'https://acme.example/cb' },
        identityLinkUrl: { identityLinkUrl: 'https://acme.example/link' },
        resources: { resources: ['Magento_Sales::sales', 'Magento_Cms::page'] },
        resourceAccess: { resourceAccess: 'ALL', resources: [] },
      };
      for (const [label, change] of Object.entries(changes)) {
        // given
        const name = `Shop ${label}`;
        await sync(t, [declaration({ name })]);

        // when
        const report = await sync(t, [declaration({ name, ...change })]);

        // then
        expect(report.reset, label).toEqual([name]);
        const row = await integrationByName(t, name);
        expect(row?.status, label).toBe('RESET');
        expect(row?.configHash, label).toBe(declarationHash(declaration({ name, ...change })));
      }
    });

    it('is audited as INTEGRATION_RESET by "config", and a further sync changes nothing', async () => {
      // given
      await sync(t, [declaration()]);
      const id = Number(await idOf(t, 'Acme ERP'));

      // when
      await sync(t, [declaration({ email: 'new@acme.example' })]);
      const again = await sync(t, [declaration({ email: 'new@acme.example' })]);

      // then
      const rows = await auditRows(t, 'INTEGRATION_RESET');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        adminId: null,
        adminUsername: 'config',
        integrationId: id,
        integrationName: 'Acme ERP',
      });
      expect(again).toEqual({ created: [], reset: [], unchanged: ['Acme ERP'], undeclared: [] });
      expect((await integrationByName(t, 'Acme ERP'))?.status).toBe('RESET');
    });

    it('revokes the access token: it is refused until the integration is activated again', async () => {
      // given: declared without URLs, so it is activated directly
      await sync(t, [declaration()]);
      const id = await idOf(t, 'Acme ERP');
      const first = await activate(id);
      expect(first.integration.status).toBe('ACTIVE');
      const before = await signedGraphql(t, first.credentials, VIEWER);
      expect(before.status).toBe(200);
      expect(before.json.data?.viewerIntegration).toEqual({ id, name: 'Acme ERP' });

      // when
      const report = await sync(t, [declaration({ resources: ['Magento_Cms::page'] })]);

      // then
      expect(report.reset).toEqual(['Acme ERP']);
      expect((await signedGraphql(t, first.credentials, VIEWER)).status).toBe(401);
      expect(await tokenRowsOf(t, id, 'access')).toEqual([]);
      const read = await t.gql(INTEGRATION, { id }, { token });
      expect(read.data?.integration).toMatchObject({ status: 'RESET', hasAccessToken: false });

      // when: activated again
      const second = await activate(id);

      // then
      expect(second.integration).toMatchObject({ status: 'ACTIVE', hasAccessToken: true });
      expect(second.credentials.consumerKey).toBe(first.credentials.consumerKey);
      expect(second.credentials.token).not.toBe(first.credentials.token);
      const fresh = await signedGraphql(t, second.credentials, VIEWER);
      expect(fresh.status).toBe(200);
      expect(fresh.json.data?.viewerIntegration).toEqual({ id, name: 'Acme ERP' });
      expect((await signedGraphql(t, first.credentials, VIEWER)).status).toBe(401);
    });

    it('applies a change of case of the name (names are unique regardless of case)', async () => {
      // given
      await sync(t, [declaration()]);
      const id = await idOf(t, 'Acme ERP');

      // when
      const report = await sync(t, [declaration({ name: 'ACME erp' })]);

      // then
      expect(report.created).toEqual([]);
      expect(report.reset).toEqual(['ACME erp']);
      expect(await countRows(t, integrations)).toBe(1);
      expect((await integrationByName(t, 'ACME erp'))?.name).toBe('ACME erp');
      expect(await idOf(t, 'ACME erp')).toBe(id);
    });
  });

  describe('a declaration removed from the file', () => {
    const DRIFT = /* GraphQL */ `
      query Drift {
        integrations(first: 50) {
          totalCount
          edges { node { name } }
          configDrift { id name setupType status }
        }
      }
    `;

    /** The `integrations` query on an app started with these declared names. */
    async function driftOn(declaredIntegrationNames: string[]) {
      const app = createApp({
        config: t.config,
        database: t.database,
        logger: t.logs.logger,
        secretBox: new SecretBox(TEST_ENCRYPTION_KEY),
        declaredIntegrationNames,
      });
      const response = await app.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: DRIFT }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: any; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data.integrations;
    }

    it('is left in place and reported as undeclared', async () => {
      // given
      await sync(t, [declaration(), declaration({ name: 'Reporting' })]);
      const before = await integrationByName(t, 'Reporting');
      await createIntegration(t, token, { name: 'Manual one' });

      // when
      const report = await sync(t, [declaration()]);

      // then
      expect(report).toEqual({
        created: [],
        reset: [],
        unchanged: ['Acme ERP'],
        undeclared: ['Reporting'],
      });
      expect(await integrationByName(t, 'Reporting')).toEqual(before);
      expect(await grantRows(t, before?.id ?? 0)).toEqual(['Magento_Sales::sales']);
    });

    it('is reported when nothing is declared any more', async () => {
      await sync(t, [declaration(), declaration({ name: 'Reporting' })]);

      const report = await sync(t, []);

      expect(report).toEqual({
        created: [],
        reset: [],
        unchanged: [],
        undeclared: ['Acme ERP', 'Reporting'],
      });
      expect(await countRows(t, integrations)).toBe(2);
    });

    it('shows in integrations { configDrift } of an app started without it', async () => {
      // given
      await sync(t, [declaration(), declaration({ name: 'Reporting' })]);
      await createIntegration(t, token, { name: 'Manual one' });
      await sync(t, [declaration()]);
      const reportingId = await idOf(t, 'Reporting');

      // when
      const current = await driftOn(['Acme ERP']);
      const both = await driftOn(['acme erp', 'REPORTING']);

      // then
      expect(current.totalCount).toBe(3);
      expect(current.configDrift).toEqual([
        { id: reportingId, name: 'Reporting', setupType: 'CONFIG', status: 'INACTIVE' },
      ]);
      expect(both.configDrift).toEqual([]);
    });

    it('is logged as a warning, as the gateway does at startup', async () => {
      // given
      await sync(t, [declaration(), declaration({ name: 'Reporting' })]);
      const report = await sync(t, [declaration({ email: 'new@acme.example' })]);

      // when
      logSyncReport(t.logs.logger, report);

      // then
      const lines = t.logs.lines.map((line) => JSON.parse(line));
      expect(lines).toContainEqual(
        expect.objectContaining({
          undeclared: ['Reporting'],
          msg: 'CONFIG integrations no longer declared: left in place',
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          reset: ['Acme ERP'],
          msg: expect.stringContaining('activate them again'),
        }),
      );
    });
  });

  describe('a name clash with an admin-created integration', () => {
    it('fails naming both, and creates or changes nothing', async () => {
      // given
      await sync(t, [declaration({ name: 'Declared before' })]);
      const manual = await createIntegration(t, token, { name: 'acme erp' });
      const integrationCount = await countRows(t, integrations);
      const auditCount = await countRows(t, auditLog);
      const grantCount = await countRows(t, integrationAclGrants);

      // when
      const error = await sync(t, [
        declaration({ name: 'Declared before', email: 'changed@acme.example' }),
        declaration({ name: 'Brand new' }),
        declaration({ name: 'Acme ERP' }),
      ]).then(
        () => null,
        (thrown: unknown) => thrown,
      );

      // then
      expect(error).toBeInstanceOf(ConfigClashError);
      const message = (error as Error).message;
      expect(message).toContain('"Acme ERP"');
      expect(message).toContain('"acme erp"');
      expect(message).toContain(`id ${manual.id}`);
      expect(await countRows(t, integrations)).toBe(integrationCount);
      expect(await integrationByName(t, 'Brand new')).toBeNull();
      expect(await integrationByName(t, 'Declared before')).toMatchObject({
        email: 'ops@acme.example',
        status: 'INACTIVE',
      });
      expect(await integrationByName(t, 'acme erp')).toMatchObject({
        setupType: 'MANUAL',
        id: Number(manual.id),
      });
      expect(await countRows(t, auditLog)).toBe(auditCount);
      expect(await countRows(t, integrationAclGrants)).toBe(grantCount);
    });
  });

  describe('two instances syncing at once', () => {
    let other: ReturnType<typeof createDatabase> | undefined;

    afterEach(async () => {
      await other?.close();
      other = undefined;
    });

    it('create a new declaration once: one reports created, the other unchanged', async () => {
      other = createDatabase((await testDatabase()).url);
      const secretBox = new SecretBox(TEST_ENCRYPTION_KEY);
      for (let round = 0; round < 5; round += 1) {
        // given
        const declared = [declaration({ name: `Concurrent ${round}` })];
        const second = other;

        // when
        const reports = await Promise.all([
          syncConfigIntegrations(t.database.db, secretBox, declared),
          syncConfigIntegrations(second.db, secretBox, declared),
        ]);

        // then
        const name = `Concurrent ${round}`;
        expect(
          reports.flatMap((report) => report.created),
          name,
        ).toEqual([name]);
        expect(
          reports.flatMap((report) => report.unchanged),
          name,
        ).toEqual([name]);
        expect(
          reports.flatMap((report) => report.reset),
          name,
        ).toEqual([]);
        const row = await integrationByName(t, name);
        expect(row?.status, name).toBe('INACTIVE');
        expect(
          (await auditRows(t, 'INTEGRATION_CREATED')).filter((r) => r.integrationName === name),
          name,
        ).toHaveLength(1);
      }
      expect(await countRows(t, integrations)).toBe(5);
    });

    it('reset a changed declaration once', async () => {
      // given
      other = createDatabase((await testDatabase()).url);
      const secretBox = new SecretBox(TEST_ENCRYPTION_KEY);
      await sync(t, [declaration()]);
      const changed = [declaration({ email: 'new@acme.example' })];

      // when
      const reports = await Promise.all([
        syncConfigIntegrations(t.database.db, secretBox, changed),
        syncConfigIntegrations(other.db, secretBox, changed),
      ]);

      // then
      expect(reports.flatMap((report) => report.reset)).toEqual(['Acme ERP']);
      expect(reports.flatMap((report) => report.unchanged)).toEqual(['Acme ERP']);
      expect(await auditRows(t, 'INTEGRATION_RESET')).toHaveLength(1);
      expect(await integrationByName(t, 'Acme ERP')).toMatchObject({
        email: 'new@acme.example',
        status: 'RESET',
      });
    });
  });

  describe('applyIntegrationsConfig', () => {
    let dir: Awaited<ReturnType<typeof declarationDir>>;

    beforeEach(async () => {
      dir = await declarationDir();
    });

    afterEach(async () => {
      await dir.remove();
    });

    it('syncs the file named by INTEGRATIONS_CONFIG and returns the declared names', async () => {
      // given
      const file = await dir.write(
        'integrations.yaml',
        'integrations:\n  - name: Acme ERP\n    resourceAccess: ALL\n  - name: Reporting\n    resourceAccess: CUSTOM\n    resources: [Magento_Sales::sales]\n',
      );
      const config = loadConfig({
        ...PRODUCTION_ENV,
        DATABASE_URL: (await testDatabase()).url,
        INTEGRATIONS_CONFIG: file,
      });

      // when
      const result = await applyIntegrationsConfig(
        config,
        t.database.db,
        new SecretBox(TEST_ENCRYPTION_KEY),
      );

      // then
      expect(result).toEqual({
        declaredNames: ['Acme ERP', 'Reporting'],
        report: { created: ['Acme ERP', 'Reporting'], reset: [], unchanged: [], undeclared: [] },
      });
      expect((await integrationByName(t, 'Reporting'))?.setupType).toBe('CONFIG');
    });

    it('without INTEGRATIONS_CONFIG declares nothing and reports existing CONFIG integrations', async () => {
      // given
      await sync(t, [declaration()]);
      const config = loadConfig({ ...PRODUCTION_ENV, DATABASE_URL: (await testDatabase()).url });

      // when
      const result = await applyIntegrationsConfig(
        config,
        t.database.db,
        new SecretBox(TEST_ENCRYPTION_KEY),
      );

      // then
      expect(result).toEqual({
        declaredNames: [],
        report: { created: [], reset: [], unchanged: [], undeclared: ['Acme ERP'] },
      });
    });

    it('refuses an invalid file before writing anything', async () => {
      // given
      const file = await dir.write('integrations.json', {
        integrations: [
          { name: 'Fine', resourceAccess: 'ALL' },
          { name: 'Broken', resourceAccess: 'ALL', email: 'nope' },
        ],
      });
      const config = loadConfig({
        ...PRODUCTION_ENV,
        DATABASE_URL: (await testDatabase()).url,
        INTEGRATIONS_CONFIG: file,
      });

      // when
      const attempt = applyIntegrationsConfig(
        config,
        t.database.db,
        new SecretBox(TEST_ENCRYPTION_KEY),
      );

      // then
      await expect(attempt).rejects.toThrow(`Invalid integrations declaration ${file}`);
      expect(await countRows(t, integrations)).toBe(0);
    });
  });
});
