import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IntegrationsConfigError,
  readIntegrationsConfig,
} from '../../src/integrations/config-file.js';
import { declarationDir } from '../support/integrations-config.js';

/** Reads a file that must be refused and returns the error. */
async function refusal(file: string): Promise<IntegrationsConfigError> {
  const error = await readIntegrationsConfig(file).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(IntegrationsConfigError);
  return error as IntegrationsConfigError;
}

const YAML = `# integrations shipped with the extensions
integrations:
  - name: "  Acme ERP "
    email: ops@acme.example
    callbackUrl: https://acme.example/cb
    identityLinkUrl: https://acme.example/link
    resourceAccess: CUSTOM
    resources:
      - Magento_Sales::sales
      - Magento_Cms::page
      - Magento_Sales::sales
  - name: Reporting
    resourceAccess: ALL
`;

describe('readIntegrationsConfig', () => {
  let dir: Awaited<ReturnType<typeof declarationDir>>;

  beforeEach(async () => {
    dir = await declarationDir();
  });

  afterEach(async () => {
    await dir.remove();
  });

  it('reads a JSON file into the fields to store, normalized as the admin form does', async () => {
    // given
    const file = await dir.write('integrations.json', {
      integrations: [
        {
          name: ' Acme ERP ',
          email: ' ops@acme.example ',
          callbackUrl: 'https://acme.example/cb',
          identityLinkUrl: '',
          resourceAccess: 'CUSTOM',
          resources: ['Magento_Sales::sales', 'Magento_Sales::sales', 'Magento_Cms::page'],
        },
        { name: 'Reporting', resourceAccess: 'ALL', resources: ['Magento_Sales::sales'] },
      ],
    });

    // when
    const declared = await readIntegrationsConfig(file);

    // then
    expect(declared).toEqual([
      {
        name: 'Acme ERP',
        email: 'ops@acme.example',
        callbackUrl: 'https://acme.example/cb',
        identityLinkUrl: null,
        resourceAccess: 'CUSTOM',
        resources: ['Magento_Sales::sales', 'Magento_Cms::page'],
      },
      {
        name: 'Reporting',
        email: null,
        callbackUrl: null,
        identityLinkUrl: null,
        resourceAccess: 'ALL',
        resources: [],
      },
    ]);
  });

  it('reads YAML from .yaml and .yml files alike', async () => {
    for (const name of ['integrations.yaml', 'integrations.yml', 'INTEGRATIONS.YML']) {
      // given
      const file = await dir.write(name, YAML);

      // when
      const declared = await readIntegrationsConfig(file);

      // then
      expect(declared, name).toEqual([
        {
          name: 'Acme ERP',
          email: 'ops@acme.example',
          callbackUrl: 'https://acme.example/cb',
          identityLinkUrl: 'https://acme.example/link',
          resourceAccess: 'CUSTOM',
          resources: ['Magento_Sales::sales', 'Magento_Cms::page'],
        },
        {
          name: 'Reporting',
          email: null,
          callbackUrl: null,
          identityLinkUrl: null,
          resourceAccess: 'ALL',
          resources: [],
        },
      ]);
    }
  });

  it('reports names that differ only by case, accents or ß as declared twice, even after a bad entry', async () => {
    // given
    const file = await dir.write('names.json', {
      integrations: [
        { name: 'Café', resourceAccess: 'ALL' },
        { name: 'Cafe', resourceAccess: 'ALL' },
        { name: 'Dup', resourceAccess: 'ALL', colour: 1 },
        { name: 'Dup', resourceAccess: 'ALL' },
        { name: 'Straße', resourceAccess: 'ALL' },
        { name: 'STRASSE', resourceAccess: 'ALL' },
      ],
    });

    // when / then
    await expect(readIntegrationsConfig(file)).rejects.toMatchObject({
      problems: [
        'integrations[1] ("Cafe").name: "Cafe" is declared twice',
        'integrations[2] ("Dup"): Unrecognized key: "colour"',
        'integrations[3] ("Dup").name: "Dup" is declared twice',
        'integrations[5] ("STRASSE").name: "STRASSE" is declared twice',
      ],
    });
  });

  it('accepts an empty list', async () => {
    const file = await dir.write('integrations.json', { integrations: [] });

    expect(await readIntegrationsConfig(file)).toEqual([]);
  });

  it('parses files that are not .yaml/.yml as JSON', async () => {
    // given: YAML content under another extension
    const file = await dir.write('integrations.conf', YAML);

    // when
    const error = await refusal(file);

    // then
    expect(error.problems).toEqual([expect.stringMatching(/^cannot be read: /)]);
  });

  it('reports every problem of every entry at once, naming the file, entry and field', async () => {
    // given
    const file = await dir.write('integrations.json', {
      integrations: [
        { name: 'Good', resourceAccess: 'ALL' },
        {
          name: 'Unknown resource',
          resourceAccess: 'CUSTOM',
          resources: ['Magento_Sales::sales', 'Vendor_Nope::thing'],
        },
        {
          name: 'Bad URLs',
          resourceAccess: 'ALL',
          callbackUrl: 'ftp://acme.example/cb',
          identityLinkUrl: 'not a url',
        },
        { name: 'Bad email', resourceAccess: 'ALL', email: 'not-an-email' },
        { email: 'nameless@acme.example', resourceAccess: 'ALL' },
        { name: 'No access' },
        { name: 'Extra key', resourceAccess: 'ALL', colour: 'red' },
        { name: 'GOOD', resourceAccess: 'ALL' },
        'not an entry',
        { name: '   ', resourceAccess: 'ALL' },
        { name: 'No resources', resourceAccess: 'CUSTOM' },
      ],
    });

    // when
    const error = await refusal(file);

    // then
    expect(error.file).toBe(file);
    expect(error.problems).toEqual([
      'integrations[1] ("Unknown resource").resources: Unknown ACL resources: Vendor_Nope::thing.',
      'integrations[2] ("Bad URLs").callbackUrl: Enter an absolute http: or https: URL of at most 255 characters, with a host and without user name, password, spaces or control characters.',
      'integrations[2] ("Bad URLs").identityLinkUrl: Enter an absolute http: or https: URL of at most 255 characters, with a host and without user name, password, spaces or control characters.',
      'integrations[3] ("Bad email").email: Enter a valid email address of at most 254 characters.',
      expect.stringMatching(/^integrations\[4\]\.name: /),
      expect.stringMatching(
        /^integrations\[5\] \("No access"\)\.resourceAccess: .*"ALL"\|"CUSTOM"/,
      ),
      expect.stringMatching(/^integrations\[6\] \("Extra key"\): .*"colour"/),
      'integrations[7] ("GOOD").name: "GOOD" is declared twice',
      expect.stringMatching(/^integrations\[8\]: .*expected object/),
      'integrations[9] ("   ").name: "name" is required. Enter and try again.',
      'integrations[10] ("No resources").resources: Select at least one resource, or choose resource access ALL.',
    ]);
    expect(error.message).toBe(
      `Invalid integrations declaration ${file}:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  });

  it('names the entries of a YAML file the same way', async () => {
    // given
    const file = await dir.write(
      'integrations.yml',
      'integrations:\n  - name: Shop\n    resourceAccess: ALL\n    email: nope\n  - name: shop\n    resourceAccess: SOME\n',
    );

    // when
    const error = await refusal(file);

    // then
    expect(error.problems).toEqual([
      'integrations[0] ("Shop").email: Enter a valid email address of at most 254 characters.',
      'integrations[1] ("shop").name: "shop" is declared twice',
      expect.stringMatching(/^integrations\[1\] \("shop"\)\.resourceAccess: /),
    ]);
  });

  it('refuses a file that is not an object with an "integrations" list', async () => {
    const cases: [string, string][] = [
      ['list.json', '[{"name": "Acme", "resourceAccess": "ALL"}]'],
      ['missing.json', '{}'],
      ['not-a-list.json', '{"integrations": {"name": "Acme"}}'],
      ['extra.json', '{"integrations": [], "version": 2}'],
      ['empty.yaml', ''],
      ['scalar.yml', 'just text\n'],
    ];
    for (const [name, content] of cases) {
      // given
      const file = await dir.write(name, content);

      // when
      const error = await refusal(file);

      // then
      expect(error.problems, name).toEqual(['must be an object with an "integrations" list']);
      expect(error.message, name).toContain(file);
    }
  });

  it('refuses malformed JSON and YAML as unreadable, naming the file', async () => {
    const cases: [string, string][] = [
      ['broken.json', '{"integrations": ['],
      ['broken.yaml', 'integrations:\n  - name: A\n    resourceAccess: [\n'],
      ['duplicate-key.yml', 'integrations: []\nintegrations: []\n'],
    ];
    for (const [name, content] of cases) {
      // given
      const file = await dir.write(name, content);

      // when
      const error = await refusal(file);

      // then
      expect(error.file, name).toBe(file);
      expect(error.problems, name).toEqual([expect.stringMatching(/^cannot be read: .+/)]);
      expect(error.message, name).toMatch(
        new RegExp(`^Invalid integrations declaration ${file.replace(/[.]/g, '\\.')}:\n`),
      );
    }
  });

  it('refuses a path that cannot be read: missing file, directory', async () => {
    for (const file of [join(dir.path, 'missing.json'), dir.path]) {
      const error = await refusal(file);

      expect(error.file).toBe(file);
      expect(error.problems).toEqual([expect.stringMatching(/^cannot be read: (ENOENT|EISDIR)/)]);
    }
  });
});
