import { beforeEach, describe, expect, it } from 'vitest';
import { oauthConsumers, oauthTokens } from '../../src/db/schema.js';
import { ACTIVATE, CREATE, DELETE, REAUTHORIZE, REVEAL, UPDATE } from '../support/admin-client.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const WRONG = 'wrong-pass-logs-4q9z';

describe('logs of the integrations control plane', () => {
  let t: TestApp;
  let token: string;

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('never contain credentials, session tokens or passwords', async () => {
    // given the whole lifecycle, including failures
    const create = await t.gql(
      CREATE,
      {
        input: {
          name: 'Logged',
          resourceAccess: 'CUSTOM',
          resources: ['Magento_Sales::sales'],
          currentPassword: ADMIN_PASSWORD,
        },
      },
      { token },
    );
    const id = create.data?.integrationCreate.integration.id;
    expect(id).toEqual(expect.any(String));
    const activated = (await t.gql(ACTIVATE, { id, currentPassword: ADMIN_PASSWORD }, { token }))
      .data?.integrationActivate.credentials;
    const rotated = (await t.gql(REAUTHORIZE, { id, currentPassword: ADMIN_PASSWORD }, { token }))
      .data?.integrationReauthorize.credentials;
    const revealed = (await t.gql(REVEAL, { id, currentPassword: ADMIN_PASSWORD }, { token })).data
      ?.integrationCredentialsReveal.credentials;
    expect(revealed).toEqual(rotated);
    await t.gql(UPDATE, { id, input: { name: 'Logged 2', currentPassword: WRONG } }, { token });
    await t.gql(REVEAL, { id, currentPassword: WRONG }, { token });
    const [consumer] = await t.database.db.select().from(oauthConsumers);
    const [tokenRow] = await t.database.db.select().from(oauthTokens);
    const deleted = await t.gql(DELETE, { id, currentPassword: ADMIN_PASSWORD }, { token });
    expect(deleted.data?.integrationDelete.deletedId).toBe(id);

    // when
    const text = t.logs.text();

    // then every request was logged, without any secret
    expect(t.logs.lines.filter((line) => line.includes('"msg":"request"'))).toHaveLength(7);
    const secrets = [
      activated.consumerSecret,
      activated.accessToken,
      activated.accessTokenSecret,
      rotated.accessToken,
      rotated.accessTokenSecret,
      consumer?.secretEncrypted,
      tokenRow?.secretEncrypted,
      ADMIN_PASSWORD,
      WRONG,
      token,
    ];
    for (const secret of secrets) {
      expect(secret).toEqual(expect.any(String));
      expect(text).not.toContain(secret);
    }
  });
});
