import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIntegrationsConfig } from '../../src/integrations/config-file.js';
import {
  type IntegrationFieldsInput,
  resolveIntegrationFields,
} from '../../src/integrations/integration-input.js';
import { CREATE, createIntegration, INTEGRATION, UPDATE } from '../support/admin-client.js';
import { declarationDir } from '../support/integrations-config.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const resolve = (input: IntegrationFieldsInput) =>
  resolveIntegrationFields({ name: 'Acme', resourceAccess: 'ALL', ...input }, null);

/** The codes and fields of the errors of `input`; empty when it is accepted. */
const refusalOf = (input: IntegrationFieldsInput) =>
  resolve(input).errors.map((error) => `${error.code} ${error.field}`);

const DISGUISED_NAMES: [label: string, name: string][] = [
  ['NUL', 'Acme\u0000ERP'],
  ['newline inside', 'Acme\nERP'],
  ['carriage return inside', 'Acme\rERP'],
  ['escape sequence', 'Acme\u001b[31mERP'],
  ['DEL', 'Acme\u007fERP'],
  ['C1 next line', 'Acme\u0085ERP'],
  ['C1 control at the end', 'Acme ERP\u009f'],
  ['NUL at the end', 'Acme ERP\u0000'],
  ['left-to-right embedding', 'Acme\u202aERP'],
  ['right-to-left override', 'Acme\u202egnp.exe'],
  ['pop directional formatting', 'Acme\u202cERP'],
  ['left-to-right isolate', 'Acme\u2066ERP'],
  ['right-to-left isolate', 'Acme\u2067ERP'],
  ['first strong isolate', 'Acme\u2068ERP'],
  ['pop directional isolate', 'Acme\u2069ERP'],
];

const REFUSED_URLS: [label: string, url: string][] = [
  ['user and password', 'https://user:pass@acme.example/cb'],
  ['user only', 'https://user@acme.example/cb'],
  ['empty user info', 'https://@acme.example/cb'],
  ['user info hiding the host', 'https://trusted.example@evil.example/cb'],
  ['backslash before @', 'https://evil.example\\@trusted.example/cb'],
  ['empty authority', 'https:///cb'],
  ['no slashes', 'https:cb'],
  ['one slash', 'https:/cb'],
  ['backslashes for slashes', 'https:\\\\acme.example\\cb'],
  ['empty host with a port', 'https://:443/cb'],
  ['space in the path', 'https://acme.example/c b'],
  ['leading space', ' https://acme.example/cb'],
  ['trailing newline', 'https://acme.example/cb\n'],
  ['tab inside the host', 'https://acme.ex\tample/cb'],
  ['newline inside the host', 'https://acme.ex\nample/cb'],
  ['no-break space', 'https://acme.example/\u00a0cb'],
  ['NUL', 'https://acme.example/c\u0000b'],
  ['C1 control', 'https://acme.example/c\u0085b'],
  ['right-to-left override', 'https://acme.example/\u202egnp.exe'],
  ['not http', 'ftp://acme.example/cb'],
  ['javascript', 'javascript:alert(1)'],
  ['relative', '/cb'],
  ['longer than 255 characters', `https://acme.example/${'a'.repeat(240)}`],
];

const NORMALISED_URLS: [given: string, stored: string][] = [
  ['HTTPS://ACME.Example/Callback', 'https://acme.example/Callback'],
  ['https://acme.example:443/cb', 'https://acme.example/cb'],
  ['http://acme.example:80/cb', 'http://acme.example/cb'],
  ['https://acme.example:8443/cb', 'https://acme.example:8443/cb'],
  ['https://acme.example', 'https://acme.example/'],
  ['https://acme.example/a/../cb?x=1#done', 'https://acme.example/cb?x=1#done'],
  ['https://bücher.example/cb', 'https://xn--bcher-kva.example/cb'],
  ['https://acme.example/é', 'https://acme.example/%C3%A9'],
  ['https://[::1]:8443/cb', 'https://[::1]:8443/cb'],
];

describe('integration names and URLs are what they claim to be', () => {
  describe('the rules (create, update and INTEGRATIONS_CONFIG share them)', () => {
    it.each(DISGUISED_NAMES)('refuses a name with a %s', (_label, name) => {
      expect(refusalOf({ name })).toEqual(['INVALID input.name']);
    });

    it.each([
      ['emoji', 'Acme 😀 👩‍👩‍👧 ERP'],
      ['accents and other scripts', 'Ácmé ERP · 日本 · مرحبا'],
      ['zero-width joiner and non-joiner', 'می\u200cخواهم'],
    ])('keeps a name with %s exactly', (_label, name) => {
      expect(resolve({ name })).toEqual(expect.objectContaining({ errors: [] }));
      expect(resolve({ name }).fields.name).toBe(name);
    });

    it('trims whitespace around a name, as before', () => {
      expect(resolve({ name: '\t Acme ERP \n' }).fields.name).toBe('Acme ERP');
    });

    it.each(REFUSED_URLS)('refuses a URL with %s, as callback and identity link', (_label, url) => {
      expect(refusalOf({ callbackUrl: url, identityLinkUrl: url })).toEqual([
        'INVALID input.callbackUrl',
        'INVALID input.identityLinkUrl',
      ]);
    });

    it.each(NORMALISED_URLS)('stores %s as %s', (given, stored) => {
      const { fields, errors } = resolve({ callbackUrl: given, identityLinkUrl: given });

      expect(errors).toEqual([]);
      expect(fields).toMatchObject({ callbackUrl: stored, identityLinkUrl: stored });
    });

    it('still clears a URL given as an empty or blank string', () => {
      const current = resolve({ callbackUrl: 'https://acme.example/cb' }).fields;

      const { fields, errors } = resolveIntegrationFields({ callbackUrl: '  ' }, current);

      expect(errors).toEqual([]);
      expect(fields.callbackUrl).toBeNull();
    });
  });

  describe('through GraphQL (production)', () => {
    let t: TestApp;
    let token: string;

    beforeEach(async () => {
      t = await createTestApp({ NODE_ENV: 'production' });
      await t.createAdmin('admin');
      token = await t.signIn();
    });

    const create = (input: Record<string, unknown>) =>
      t.gql(
        CREATE,
        {
          input: {
            name: 'Acme ERP',
            resourceAccess: 'ALL',
            currentPassword: ADMIN_PASSWORD,
            ...input,
          },
        },
        { token },
      );

    it('integrationCreate refuses a disguised name and URLs with user info, storing nothing', async () => {
      // when
      const response = await create({
        name: 'Acme\u202eERP',
        callbackUrl: 'https://user:pass@acme.example/cb',
        identityLinkUrl: 'https:///link',
      });

      // then
      expect(response.errors).toBeUndefined();
      const payload = response.data?.integrationCreate;
      expect(payload.integration).toBeNull();
      expect(payload.errors.map((e: { code: string; field: string }) => [e.code, e.field])).toEqual(
        [
          ['INVALID', 'input.name'],
          ['INVALID', 'input.callbackUrl'],
          ['INVALID', 'input.identityLinkUrl'],
        ],
      );
      const [rows] = await t.database.pool.query('SELECT COUNT(*) AS n FROM integration');
      expect((rows as { n: number }[])[0]?.n).toBe(0);
    });

    it('integrationCreate stores and returns the normalised URLs', async () => {
      // when
      const created = await createIntegration(t, token, {
        callbackUrl: 'HTTPS://Acme.Example:443/cb',
        identityLinkUrl: 'https://ACME.example/link/../login',
      });

      // then
      const read = await t.gql(INTEGRATION, { id: created.id }, { token });
      for (const integration of [created, read.data?.integration]) {
        expect(integration).toMatchObject({
          callbackUrl: 'https://acme.example/cb',
          identityLinkUrl: 'https://acme.example/login',
        });
      }
    });

    it('integrationUpdate applies the same rules and keeps the stored values on refusal', async () => {
      // given
      const existing = await createIntegration(t, token, {
        name: 'Acme ERP',
        callbackUrl: 'https://acme.example/cb',
      });
      const update = (input: Record<string, unknown>) =>
        t.gql(
          UPDATE,
          { id: existing.id, input: { currentPassword: ADMIN_PASSWORD, ...input } },
          { token },
        );

      // when
      const refused = await update({
        name: 'Acme\nERP',
        callbackUrl: 'https://acme.example/c\tb',
      });
      const normalised = await update({ identityLinkUrl: 'https://Acme.Example:443' });

      // then
      expect(refused.data?.integrationUpdate.errors).toEqual([
        expect.objectContaining({ code: 'INVALID', field: 'input.name' }),
        expect.objectContaining({ code: 'INVALID', field: 'input.callbackUrl' }),
      ]);
      expect(normalised.data?.integrationUpdate.errors).toEqual([]);
      const read = await t.gql(INTEGRATION, { id: existing.id }, { token });
      expect(read.data?.integration).toMatchObject({
        name: 'Acme ERP',
        callbackUrl: 'https://acme.example/cb',
        identityLinkUrl: 'https://acme.example/',
      });
    });
  });

  describe('in INTEGRATIONS_CONFIG', () => {
    let dir: Awaited<ReturnType<typeof declarationDir>>;
    beforeEach(async () => {
      dir = await declarationDir();
    });
    afterEach(async () => {
      await dir.remove();
    });

    it('refuses the same names and URLs, and stores the normalised URLs', async () => {
      // given
      const refused = await dir.write('refused.json', {
        integrations: [
          { name: 'Line\nbreak', resourceAccess: 'ALL' },
          { name: 'Isolate\u2066d', resourceAccess: 'ALL' },
          { name: 'Userinfo', resourceAccess: 'ALL', callbackUrl: 'https://u:p@acme.example/' },
          { name: 'No authority', resourceAccess: 'ALL', identityLinkUrl: 'https:///link' },
        ],
      });
      const accepted = await dir.write('accepted.json', {
        integrations: [
          { name: 'Acme', resourceAccess: 'ALL', callbackUrl: 'HTTPS://ACME.example:443/cb' },
        ],
      });

      // when
      const error = await readIntegrationsConfig(refused).catch((thrown: unknown) => thrown);
      const declared = await readIntegrationsConfig(accepted);

      // then
      expect((error as { problems: string[] }).problems).toEqual([
        // escaped, so the message shows the characters instead of obeying them
        'integrations[0] ("Line\\u000abreak").name: A name cannot contain control characters or bidirectional formatting characters.',
        'integrations[1] ("Isolate\\u2066d").name: A name cannot contain control characters or bidirectional formatting characters.',
        expect.stringMatching(/^integrations\[2\] .*\.callbackUrl: .*user name, password/),
        expect.stringMatching(/^integrations\[3\] .*\.identityLinkUrl: .*with a host/),
      ]);
      expect(declared[0]?.callbackUrl).toBe('https://acme.example/cb');
    });
  });
});
