import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { oauthConsumers } from '../../src/db/schema.js';
import { type AdminApp, adminApp, directIntegration } from '../support/admin-client.js';
import { deadlockCount, heavyTransaction, lockWaits } from '../support/lock-waits.js';
import type { ClientCredentials } from '../support/oauth-client.js';
import { postGraphql, signGraphqlPost } from '../support/oauth-flow.js';

const BODY = JSON.stringify({ query: '{ __typename }' });
const GRAPHQL_401 =
  '{"errors":[{"message":"The request is not authorized.","extensions":{"code":"UNAUTHENTICATED"}}]}';

// A replayed request whose nonce insert meets another copy's at the same key is refused as the
// ordinary 401: on one server the copies deadlock (1213) once the first insert gives way, as on a
// Galera cluster the copy sent through a second node loses certification (1213).
describe('nonce conflicts', () => {
  let admin: AdminApp;
  let credentials: Required<ClientCredentials>;
  beforeEach(async () => {
    admin = await adminApp();
    credentials = (await directIntegration(admin)).credentials;
  });

  it('answers one of two copies 200 and the other the ordinary 401 when their inserts deadlock', async () => {
    // given a signed request, and a transaction holding its nonce uncommitted
    const { t } = admin;
    const authorization = signGraphqlPost(credentials);
    const nonce = /oauth_nonce="([^"]+)"/.exec(authorization)?.[1] ?? '';
    const timestamp = Number(/oauth_timestamp="(\d+)"/.exec(authorization)?.[1]);
    const [consumer] = await t.database.db
      .select({ id: oauthConsumers.id })
      .from(oauthConsumers)
      .where(eq(oauthConsumers.consumerKey, credentials.consumerKey));
    const deadlocksBefore = await deadlockCount(t.database.pool);
    const blocker = await heavyTransaction(t.database.pool);
    await blocker.query(
      'INSERT INTO oauth_nonce (consumer_id, token, nonce, timestamp) VALUES (?, ?, ?, ?)',
      [consumer?.id, credentials.token, nonce, timestamp],
    );

    // when two copies wait on that key and the blocker gives way: both hold a shared lock on
    // the key and want an exclusive one, and InnoDB rolls one of them back
    const copies = [1, 2].map(() => postGraphql(t, BODY, { authorization }));
    await lockWaits(t.database.pool, 2);
    await blocker.rollback();
    const answers = await Promise.all(copies);

    // then
    expect(await deadlockCount(t.database.pool)).toBeGreaterThan(deadlocksBefore);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    expect(answers.find((answer) => answer.status === 401)?.text).toBe(GRAPHQL_401);
    const refusals = t.logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request' && line.status === 401)
      .map((line) => line.refusal);
    expect(refusals).toEqual(['nonce_reused']);
    expect(t.logs.text()).not.toContain('Deadlock');
  });
});
