import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { createDatabase } from '../../src/db/client.js';
import { auditLog, integrations } from '../../src/db/schema.js';
import { syncConfigIntegrations } from '../../src/integrations/config-sync.js';
import { declaration } from '../support/integrations-config.js';
import { countRows } from '../support/rows.js';
import { createTestApp, TEST_ENCRYPTION_KEY } from '../support/test-app.js';

describe('syncConfigIntegrations from instances that start together', () => {
  it('creates each declared integration once, over three pools at the same moment', async () => {
    // given three "instances", each with its own pool over the same database
    const t = await createTestApp();
    const url = t.config.databaseUrl;
    const pools = [1, 2, 3].map(() => createDatabase(url, { connectionLimit: 2 }));
    const declared = [
      declaration(),
      declaration({ name: 'Reporting', resourceAccess: 'ALL', resources: [] }),
    ];
    try {
      // when
      const reports = await Promise.all(
        pools.map((pool) =>
          syncConfigIntegrations(pool.db, new SecretBox(TEST_ENCRYPTION_KEY), declared),
        ),
      );

      // then one instance created both, the others found them unchanged
      const created = reports.flatMap((report) => report.created).sort();
      expect(created).toEqual(['Acme ERP', 'Reporting']);
      expect(reports.flatMap((report) => report.unchanged)).toHaveLength(4);
      expect(await countRows(t, integrations)).toBe(2);
      expect(await countRows(t, auditLog)).toBe(2);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });
});
