import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { integrations } from '../../src/db/schema.js';
import {
  activateIntegration,
  CREDENTIAL_FORMAT,
  createIntegration,
  REAUTHORIZE,
  revealCredentials,
} from '../support/admin-client.js';
import { accessTokenRows, auditRows, consumerRow } from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

describe('integrationReauthorize', () => {
  let t: TestApp;
  let token: string;
  const reauthorize = (id: string) =>
    t.gql(REAUTHORIZE, { id, currentPassword: ADMIN_PASSWORD }, { token });

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('rotates the access token and secret, keeping the consumer key and secret (scenario 38)', async () => {
    // given
    const integration = await createIntegration(t, token);
    const before = await activateIntegration(t, token, integration.id);
    t.clock.advance(60_000);

    // when
    const response = await reauthorize(integration.id);

    // then
    expect(response.errors).toBeUndefined();
    const payload = response.data?.integrationReauthorize;
    expect(payload.errors).toEqual([]);
    const after = payload.credentials;
    expect(after.consumerKey).toBe(before.consumerKey);
    expect(after.consumerSecret).toBe(before.consumerSecret);
    expect(after.accessToken).toMatch(CREDENTIAL_FORMAT);
    expect(after.accessTokenSecret).toMatch(CREDENTIAL_FORMAT);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.accessTokenSecret).not.toBe(before.accessTokenSecret);
    expect(payload.integration).toMatchObject({ status: 'ACTIVE', hasAccessToken: true });
    expect(new Date(payload.integration.accessTokenIssuedAt).getTime()).toBe(t.clock.now.getTime());
    expect(await revealCredentials(t, token, integration.id)).toEqual(after);
  });

  it('leaves no row of the old token: one access row, holding the new token', async () => {
    // given
    const integration = await createIntegration(t, token);
    const before = await activateIntegration(t, token, integration.id);
    const consumer = await consumerRow(t, integration.id);

    // when
    const after = (await reauthorize(integration.id)).data?.integrationReauthorize.credentials;

    // then
    const rows = await accessTokenRows(t, consumer?.id ?? -1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token: after.accessToken, revoked: false });
    expect(rows[0]?.secretEncrypted).not.toContain(after.accessTokenSecret);
    expect(JSON.stringify(rows)).not.toContain(before.accessToken);
  });

  it('refuses an INACTIVE or RESET integration as INVALID_STATUS', async () => {
    // given
    const inactive = await createIntegration(t, token, { name: 'Inactive' });
    const reset = await createIntegration(t, token, { name: 'Reset' });
    await activateIntegration(t, token, reset.id);
    await t.database.db
      .update(integrations)
      .set({ status: 'RESET' })
      .where(eq(integrations.id, Number(reset.id)));
    const resetCredentials = await revealCredentials(t, token, reset.id);

    for (const integration of [inactive, reset]) {
      // when
      const response = await reauthorize(integration.id);

      // then
      expect(response.data?.integrationReauthorize).toEqual({
        integration: null,
        credentials: null,
        errors: [expect.objectContaining({ code: 'INVALID_STATUS' })],
      });
    }
    expect((await revealCredentials(t, token, inactive.id)).accessToken).toBeNull();
    expect(await revealCredentials(t, token, reset.id)).toEqual(resetCredentials);
    expect(await auditRows(t, 'INTEGRATION_REAUTHORIZED')).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const response = await reauthorize('8080');

    expect(response.data?.integrationReauthorize.errors).toEqual([
      { code: 'NOT_FOUND', field: 'id', message: 'The integration with ID "8080" doesn\'t exist.' },
    ]);
  });

  it('leaves exactly one live access token after 20 concurrent reauthorizations', async () => {
    // given
    const integration = await createIntegration(t, token);
    const initial = await activateIntegration(t, token, integration.id);
    const consumer = await consumerRow(t, integration.id);

    // when
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => reauthorize(integration.id)),
    );

    // then every call either rotated the token or reported an error; none was lost silently
    const issued: string[] = [];
    for (const response of responses) {
      const payload = response.data?.integrationReauthorize;
      if (payload?.credentials) {
        expect(payload.errors).toEqual([]);
        expect(payload.credentials.consumerKey).toBe(initial.consumerKey);
        issued.push(payload.credentials.accessToken);
      } else {
        expect(response.errors ?? payload?.errors).toBeTruthy();
      }
    }
    expect(issued.length).toBeGreaterThan(0);
    expect(new Set(issued).size).toBe(issued.length);
    const rows = await accessTokenRows(t, consumer?.id ?? -1);
    expect(rows).toHaveLength(1);
    const current = await revealCredentials(t, token, integration.id);
    expect(rows[0]?.token).toBe(current.accessToken);
    expect(issued).toContain(current.accessToken);
    expect(current.accessToken).not.toBe(initial.accessToken);
    expect(await auditRows(t, 'INTEGRATION_REAUTHORIZED')).toHaveLength(issued.length);
  });

  it('audits the rotation without secrets', async () => {
    // given
    const integration = await createIntegration(t, token, { name: 'Rotated' });
    const before = await activateIntegration(t, token, integration.id);

    // when
    const after = (await reauthorize(integration.id)).data?.integrationReauthorize.credentials;

    // then
    const rows = await auditRows(t, 'INTEGRATION_REAUTHORIZED');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminUsername: 'admin',
      integrationId: Number(integration.id),
      integrationName: 'Rotated',
    });
    const text = JSON.stringify(rows[0]);
    for (const secret of [
      before.consumerSecret,
      before.accessToken,
      before.accessTokenSecret,
      after.accessToken,
      after.accessTokenSecret,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
