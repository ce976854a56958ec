import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { integrations } from '../../src/db/schema.js';
import { declarationHash } from '../../src/integrations/config-sync.js';
import { createIntegration } from '../support/admin-client.js';
import { testDatabase } from '../support/database.js';
import { declaration, declarationDir, integrationByName } from '../support/integrations-config.js';
import { auditRows, countRows } from '../support/rows.js';
import { runCli } from '../support/run-cli.js';
import { createTestApp, PRODUCTION_ENV, type TestApp } from '../support/test-app.js';

const CLI_TIMEOUT = 60_000;
const SCRIPT = 'integrations-sync.ts';

describe('npm run integrations:sync', () => {
  let t: TestApp;
  let dir: Awaited<ReturnType<typeof declarationDir>>;
  let file: string;
  let env: Record<string, string>;

  const writeDeclarations = (entries: Record<string, unknown>[]) =>
    dir.write('integrations.json', { integrations: entries });

  beforeEach(async () => {
    t = await createTestApp();
    dir = await declarationDir();
    file = await writeDeclarations([
      { name: 'Acme ERP', email: 'ops@acme.example', resourceAccess: 'ALL' },
      { name: 'Reporting', resourceAccess: 'CUSTOM', resources: ['Magento_Sales::sales'] },
    ]);
    env = {
      ...PRODUCTION_ENV,
      DATABASE_URL: (await testDatabase()).url,
      INTEGRATIONS_CONFIG: file,
    };
  });

  afterEach(async () => {
    await dir.remove();
  });

  it(
    'creates the declared integrations and prints the JSON report',
    async () => {
      // when
      const result = await runCli(SCRIPT, [], env);

      // then
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        created: ['Acme ERP', 'Reporting'],
        reset: [],
        unchanged: [],
        undeclared: [],
      });
      expect(await integrationByName(t, 'Acme ERP')).toMatchObject({
        setupType: 'CONFIG',
        status: 'INACTIVE',
        resourceAccess: 'ALL',
        configHash: declarationHash(declaration({ resourceAccess: 'ALL', resources: [] })),
      });
      expect(await auditRows(t, 'INTEGRATION_CREATED')).toEqual([
        expect.objectContaining({ adminUsername: 'config', integrationName: 'Acme ERP' }),
        expect.objectContaining({ adminUsername: 'config', integrationName: 'Reporting' }),
      ]);
    },
    CLI_TIMEOUT,
  );

  it(
    'reports unchanged, reset and undeclared integrations on later runs',
    async () => {
      // given
      expect((await runCli(SCRIPT, [], env)).code).toBe(0);
      const again = await runCli(SCRIPT, [], env);
      await writeDeclarations([
        { name: 'Acme ERP', email: 'new@acme.example', resourceAccess: 'ALL' },
      ]);

      // when
      const changed = await runCli(SCRIPT, [], env);

      // then
      expect(JSON.parse(again.stdout)).toEqual({
        created: [],
        reset: [],
        unchanged: ['Acme ERP', 'Reporting'],
        undeclared: [],
      });
      expect(changed.code).toBe(0);
      expect(JSON.parse(changed.stdout)).toEqual({
        created: [],
        reset: ['Acme ERP'],
        unchanged: [],
        undeclared: ['Reporting'],
      });
      expect(await integrationByName(t, 'Acme ERP')).toMatchObject({
        email: 'new@acme.example',
        status: 'RESET',
      });
    },
    CLI_TIMEOUT,
  );

  it(
    'two processes started at once create each integration once',
    async () => {
      // when
      const results = await Promise.all([runCli(SCRIPT, [], env), runCli(SCRIPT, [], env)]);

      // then
      for (const result of results) {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      }
      const reports = results.map((result) => JSON.parse(result.stdout));
      expect(reports.flatMap((report) => report.created).sort()).toEqual(['Acme ERP', 'Reporting']);
      expect(reports.flatMap((report) => report.unchanged).sort()).toEqual([
        'Acme ERP',
        'Reporting',
      ]);
      expect(await countRows(t, integrations)).toBe(2);
      expect(await auditRows(t, 'INTEGRATION_CREATED')).toHaveLength(2);
    },
    CLI_TIMEOUT,
  );

  it(
    'exits 1 without CREDENTIALS_ENCRYPTION_KEY, creating nothing',
    async () => {
      // given
      const { CREDENTIALS_ENCRYPTION_KEY: _key, ...withoutKey } = env;

      // when
      const result = await runCli(SCRIPT, [], withoutKey);

      // then
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('CREDENTIALS_ENCRYPTION_KEY');
      expect(await countRows(t, integrations)).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    'exits 1 without INTEGRATIONS_CONFIG',
    async () => {
      const { INTEGRATIONS_CONFIG: _file, ...withoutFile } = env;

      const result = await runCli(SCRIPT, [], withoutFile);

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('INTEGRATIONS_CONFIG');
    },
    CLI_TIMEOUT,
  );

  it(
    'exits 1 on an invalid file, printing every problem with the file name',
    async () => {
      // given
      await writeDeclarations([
        { name: 'Acme ERP', resourceAccess: 'ALL', email: 'nope' },
        { name: 'Reporting', resourceAccess: 'CUSTOM', resources: ['Vendor_Nope::thing'] },
      ]);

      // when
      const result = await runCli(SCRIPT, [], env);

      // then
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`Invalid integrations declaration ${file}:`);
      expect(result.stderr).toContain('integrations[0] ("Acme ERP").email:');
      expect(result.stderr).toContain(
        'integrations[1] ("Reporting").resources: Unknown ACL resources: Vendor_Nope::thing.',
      );
      expect(await countRows(t, integrations)).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    'exits 1 on a clash with an admin-created integration, naming both',
    async () => {
      // given
      await t.createAdmin('admin');
      const manual = await createIntegration(t, await t.signIn(), { name: 'REPORTING' });

      // when
      const result = await runCli(SCRIPT, [], env);

      // then
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('"Reporting"');
      expect(result.stderr).toContain(`"REPORTING" (id ${manual.id})`);
      expect(await countRows(t, integrations)).toBe(1);
      expect(await integrationByName(t, 'Acme ERP')).toBeNull();
    },
    CLI_TIMEOUT,
  );
});
