import { beforeEach, describe, expect, it } from 'vitest';
import { oauthNonces } from '../../src/db/schema.js';
import { type AdminApp, adminApp, createIntegrationWith } from '../support/admin-client.js';
import { serverSeconds } from '../support/oauth-flow.js';
import { consumerRow } from '../support/rows.js';

describe('purgeExpiredNonces', () => {
  let admin: AdminApp;
  let consumerId: number;

  const remaining = async () =>
    (await admin.t.database.db.select().from(oauthNonces)).map((row) => row.nonce).sort();

  beforeEach(async () => {
    admin = await adminApp();
    const { id } = await createIntegrationWith(admin, {});
    consumerId = (await consumerRow(admin.t, id))?.id ?? -1;
  });

  it('deletes nonces older than 1200 s and keeps newer ones', async () => {
    // given nonces of various ages (seconds before the server clock)
    const now = serverSeconds(admin.t);
    const ages: Record<string, number> = {
      'age-86400': 86_400,
      'age-1201': 1_201,
      'age-1200': 1_200,
      'age-1199': 1_199,
      'age-601': 601,
      'age-0': 0,
    };
    await admin.t.database.db.insert(oauthNonces).values(
      Object.entries(ages).map(([nonce, age]) => ({
        consumerId,
        token: nonce.endsWith('0') ? '' : 'a'.repeat(32),
        nonce,
        timestamp: now - age,
      })),
    );

    // when
    await admin.t.app.services.purgeExpiredNonces();

    // then
    expect(await remaining()).toEqual(['age-0', 'age-1199', 'age-1200', 'age-601']);
  });

  it('ages nonces by the server clock', async () => {
    // given a nonce recorded now
    const now = serverSeconds(admin.t);
    await admin.t.database.db
      .insert(oauthNonces)
      .values([{ consumerId, token: '', nonce: 'recorded-now', timestamp: now }]);

    // when the server clock is 1200 s on, then 1201 s on
    admin.t.clock.advance(1_200_000);
    await admin.t.app.services.purgeExpiredNonces();
    const after1200 = await remaining();
    admin.t.clock.advance(1_000);
    await admin.t.app.services.purgeExpiredNonces();

    // then
    expect(after1200).toEqual(['recorded-now']);
    expect(await remaining()).toEqual([]);
  });
});
