import { setTimeout as sleep } from 'node:timers/promises';
import { eq, type SQL, sql } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  createDatabase,
  type DatabaseHandle,
  dropDatabase,
  ensureDatabaseExists,
} from '../../src/db/client.js';
import { withClusterLock } from '../../src/db/cluster-lock.js';
import { migrateWithLock } from '../../src/db/migrations.js';
import { clusterLocks } from '../../src/db/schema.js';
import { testDatabase } from '../support/database.js';
import { testServerUrl } from '../support/server-url.js';

let serial = 0;
const opened: DatabaseHandle[] = [];
const created: string[] = [];

/** A new, empty database of this run, and `pools` separate pools over it (one per "instance"). */
async function freshDatabase(pools: number): Promise<{ url: string; handles: DatabaseHandle[] }> {
  serial += 1;
  const name = `ig_test_${inject('testRunId')}_lock${process.env.VITEST_POOL_ID ?? '0'}_${serial}`;
  const url = new URL(name, testServerUrl()).toString();
  created.push(url);
  await ensureDatabaseExists(url);
  const handles = Array.from({ length: pools }, () => createDatabase(url, { connectionLimit: 3 }));
  opened.push(...handles);
  return { url, handles };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
  await Promise.all(created.splice(0).map((url) => dropDatabase(url)));
});

const showCreate = async (handle: DatabaseHandle) => {
  const [rows] = await handle.pool.query('SHOW CREATE TABLE cluster_lock');
  return (rows as Record<string, string>[])[0]?.['Create Table'];
};

/** A fresh database whose lock "test" is held by `owner` until `expiresAt`. */
async function heldBy(owner: string, expiresAt: SQL): Promise<DatabaseHandle> {
  const { handles } = await freshDatabase(1);
  const [handle] = handles as [DatabaseHandle];
  await withClusterLock(handle.db, 'create-the-table', { waitMs: 1_000 }, async () => {});
  await handle.db.insert(clusterLocks).values({ name: 'test', owner, expiresAt });
  return handle;
}

describe('withClusterLock', () => {
  it('lets one holder at a time in, over separate pools started together', async () => {
    // given
    const { handles } = await freshDatabase(3);
    let inside = 0;
    let most = 0;
    const entered: number[] = [];

    // when
    await Promise.all(
      handles.map((handle, index) =>
        withClusterLock(handle.db, 'test', { waitMs: 20_000 }, async () => {
          inside += 1;
          most = Math.max(most, inside);
          entered.push(index);
          await sleep(100);
          inside -= 1;
        }),
      ),
    );

    // then
    expect(most).toBe(1);
    expect(entered.sort()).toEqual([0, 1, 2]);
    expect(await handles[0]?.db.select().from(clusterLocks)).toEqual([]);
  });

  it('takes over the lock of a holder whose lease ran out (a crashed instance)', async () => {
    // given a row left by a holder that stopped a minute ago
    const handle = await heldBy('crashed-instance', sql`UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE`);

    // when
    const ran = await withClusterLock(handle.db, 'test', { waitMs: 5_000 }, async () => {
      const [row] = await handle.db
        .select()
        .from(clusterLocks)
        .where(eq(clusterLocks.name, 'test'));
      return row?.owner;
    });

    // then
    expect(ran).not.toBe('crashed-instance');
    expect(await handle.db.select().from(clusterLocks)).toEqual([]);
  });

  it('waits for a live holder and gives up after waitMs, leaving its lock alone', async () => {
    // given a holder whose lease runs another minute
    const handle = await heldBy('live-instance', sql`UTC_TIMESTAMP(3) + INTERVAL 1 MINUTE`);
    let ran = false;

    // when
    const waiting = withClusterLock(handle.db, 'test', { waitMs: 500 }, async () => {
      ran = true;
    });

    // then
    await expect(waiting).rejects.toThrow(
      'Timed out after 1 s waiting for the cluster lock "test" (another instance holds it)',
    );
    expect(ran).toBe(false);
    expect(await handle.db.select({ owner: clusterLocks.owner }).from(clusterLocks)).toEqual([
      { owner: 'live-instance' },
    ]);
  });

  it('creates the same cluster_lock table as its migration does', async () => {
    // given a database where only the lock created its table, and the migrated test database
    const { handles } = await freshDatabase(1);
    const [handle] = handles as [DatabaseHandle];
    await withClusterLock(handle.db, 'test', { waitMs: 1_000 }, async () => {});
    const { database } = await testDatabase();

    // then
    expect(await showCreate(handle)).toBe(await showCreate(database));
  });
});

describe('migrateWithLock', () => {
  it('migrates a new database once when three instances start together', async () => {
    // given
    const { url, handles } = await freshDatabase(3);

    // when
    const results = await Promise.allSettled(handles.map((handle) => migrateWithLock(handle, url)));

    // then
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const [migrations] = await (handles[0] as DatabaseHandle).pool.query(
      'SELECT COUNT(*) AS applied FROM __drizzle_migrations',
    );
    const journal = await import('../../drizzle/meta/_journal.json', { with: { type: 'json' } });
    expect(Number((migrations as { applied: number }[])[0]?.applied)).toBe(
      journal.default.entries.length,
    );
  });

  it("reports the database's reason when a migration fails", async () => {
    // given a database where a table of the first migration exists, unknown to the migrations
    const { url, handles } = await freshDatabase(1);
    const [handle] = handles as [DatabaseHandle];
    await handle.pool.query('CREATE TABLE admin_user (id INT PRIMARY KEY)');

    // when
    const failure = migrateWithLock(handle, url);

    // then
    await expect(failure).rejects.toThrow(
      /^Migration failed: ER_TABLE_EXISTS_ERROR \(errno 1050, SQLSTATE 42S01\): Table 'admin_user' already exists; statement: CREATE TABLE `admin_user`/,
    );
    expect(await handle.db.select().from(clusterLocks)).toEqual([]);
  });
});
