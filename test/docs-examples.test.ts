import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, type OperationDefinitionNode, parse, print } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { seedDemoIntegrations } from '../src/cli/demo-data.js';
import { type RunningServer, startHttpServer } from '../src/http/server.js';
import { type AdminApp, adminApp } from './support/admin-client.js';
import { type CallbackListener, startListener } from './support/callback-listener.js';
import { accepting, freePort } from './support/free-port.js';
import {
  codeBlocks,
  DOCUMENT_PATHS,
  folded,
  type Markdown,
  ROOT,
  readMarkdown,
  section,
} from './support/markdown.js';
import { runCli } from './support/run-cli.js';
import { demoStoreApp, signedGql } from './support/store.js';
import { ADMIN_PASSWORD, PRODUCTION_ENV } from './support/test-app.js';

// The examples of the README and of docs/, read out of the documents and run as a reader would
// run them: a document edited into something wrong fails here. Not run: the quick start's
// `npm ci && npm run demo` and `npm test` (what this suite itself runs under), and
// the fault suite's transcript (the record of one run of npm run test:faults).
const README = readMarkdown('README.md');
const ADMINS = readMarkdown('docs/admins.md');
const INTEGRATORS = readMarkdown('docs/integrators.md');
const DATA_PLANE = readMarkdown('docs/data-plane.md');
const PASSWORD_PLACEHOLDER = '<your password>';
/** The origin the README's examples talk to: the demo's default. */
const DEMO_ORIGIN = 'http://127.0.0.1:4000';
/** Debian's Python, where `npm test` installs python3-requests-oauthlib (package.json pretest). */
const PYTHON_WITH_REQUESTS_OAUTHLIB = '/usr/bin/python3';

/**
 * Fenced graphql blocks that no test runs, each with the reason. Every other operation of every
 * document must be run by a test below (checked last).
 */
const NOT_EXECUTED: Record<string, string> = {};
const executed = new Set<string>();

/** Every operation of the graphql blocks of `doc`, by name; an unnamed one cannot be referred to. */
function operationsOf(doc: Markdown): Map<string, OperationDefinitionNode> {
  const operations = new Map<string, OperationDefinitionNode>();
  for (const block of doc.fences.filter((fence) => fence.language === 'graphql')) {
    for (const definition of parse(block.body).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = definition.name?.value;
      if (!name) throw new Error(`${doc.path}: a graphql block has an unnamed operation`);
      if (operations.has(name)) throw new Error(`${doc.path}: two operations named ${name}`);
      operations.set(name, definition);
    }
  }
  return operations;
}

/** The operation `name` of a graphql block of `doc`, printed alone, with the password filled in. */
function operation(doc: Markdown, name: string): string {
  const found = operationsOf(doc).get(name);
  if (!found) throw new Error(`${doc.path} has no operation ${name}`);
  executed.add(`${doc.path}#${name}`);
  return print({ kind: Kind.DOCUMENT, definitions: [found] }).replaceAll(
    PASSWORD_PLACEHOLDER,
    ADMIN_PASSWORD,
  );
}

/** The JSON a document shows for GraphiQL's Variables pane, with its placeholder replaced. */
function variablesPane(text: string, placeholder: string, id: string): Record<string, unknown> {
  const [pane] = codeBlocks(text, 'json').filter((block) => block.includes(placeholder));
  const inline = /`(\{ "id": "<[^>]+>" \})`/.exec(folded(text))?.[1];
  const source = pane ?? inline;
  if (!source) throw new Error(`no Variables pane with ${placeholder}`);
  return JSON.parse(source.replace(placeholder, id));
}

/** The requests of the curl commands of a sh block: their URL, `-H` headers and `-d` body. */
function curlRequests(block: string) {
  const commands = block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith('curl '));
  return commands.map((command) => {
    const headers: Record<string, string> = {};
    let body = '';
    for (const [, flag, single, double] of command.matchAll(/-(H|d) (?:'([^']*)'|"([^"]*)")/g)) {
      const value = single ?? double ?? '';
      if (flag === 'd') body = value;
      else
        headers[value.slice(0, value.indexOf(':')).toLowerCase()] = value
          .slice(value.indexOf(':') + 1)
          .trim();
    }
    return { url: /^curl -s (\S+)/.exec(command)?.[1] ?? '', headers, body };
  });
}

describe('README "Signing in from GraphiQL"', () => {
  const text = section(README, 'Signing in from GraphiQL');

  it('signs in with the printed password, and the Headers tab shows the viewer', async () => {
    const { t } = await adminApp();
    const viewer = /Then `(query \{ viewer \{[^`]+)`/.exec(text)?.[1] ?? '';
    const [headersTab = ''] = codeBlocks(text, 'json');

    const signIn = await t.gql(
      operation(README, 'SignIn').replace('<password printed by npm run demo>', ADMIN_PASSWORD),
    );
    const token = signIn.data?.adminLogin.token;
    const me = await t.gql(
      viewer,
      {},
      { headers: JSON.parse(headersTab.replace('<token>', token)) },
    );

    expect(signIn.data?.adminLogin.errors).toEqual([]);
    expect(me.data?.viewer).toMatchObject({ username: 'admin' });
  });

  it('signs in and reads the viewer with the curl commands', async () => {
    const { t } = await adminApp();
    const [signIn, viewer] = curlRequests(codeBlocks(text, 'sh')[0] ?? '');
    const send = async (request: typeof signIn, replace: [string, string]) => {
      expect(request?.url).toBe('localhost:4000/graphql');
      const response = await t.app.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(request?.headers ?? {}).map(([name, value]) => [
            name,
            value.replace(...replace),
          ]),
        ),
        body: (request?.body ?? '').replace(...replace),
      });
      return response.json();
    };

    const signedIn = await send(signIn, ['...', ADMIN_PASSWORD]);
    const me = await send(viewer, ['$TOKEN', signedIn.data?.adminLogin.token]);

    expect(me).toEqual({ data: { viewer: { username: 'admin' } } });
  });
});

/** Runs `source` from stdin with `command` in the checkout (for node: packages from node_modules). */
function runScript(
  command: string,
  args: string[],
  source: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd: fileURLToPath(ROOT) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdin.end(source);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** `admin`'s app over a real socket at `port`, where a script outside the test can call it. */
function listenOn(admin: AdminApp, port: number): Promise<RunningServer> {
  return startHttpServer(admin.t.app, {
    host: '127.0.0.1',
    port,
    limits: admin.t.config.limits,
    trustedProxies: [],
    logger: admin.t.logs.logger,
  });
}

describe('README "One signed request"', () => {
  const text = section(README, 'One signed request');
  let running: RunningServer | undefined;
  afterEach(() => running?.close(0));

  it('signs a query as the demo integration "Catalog Feed" with the script, and prints what the README shows', async () => {
    // given the demo over a real socket: development mode, because the script signs and calls the
    // plain-http origin the demo serves, which production refuses as a public origin
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const admin = await demoStoreApp({ NODE_ENV: 'development', PUBLIC_BASE_URL: origin });
    await seedDemoIntegrations(admin.t.app.services);
    running = await listenOn(admin, port);
    const run = (name: string, variables: Record<string, unknown> = {}) =>
      admin.t.gql(operation(README, name), variables, { token: admin.token });

    // the integration as the README describes it
    const listed = (await run('Integrations')).data?.integrations.nodes;
    const feed = listed.find((node: { name: string }) => node.name === 'Catalog Feed');
    const [, granted = '', alsoGranted = ''] =
      /"Catalog Feed" is already `ACTIVE` and granted `([^`]+)` and `([^`]+)`/.exec(folded(text)) ??
      [];
    expect(feed).toMatchObject({ status: 'ACTIVE' });
    expect([...feed.resources].sort()).toEqual([granted, alsoGranted].sort());

    // its credentials, revealed with the id in the Variables pane
    const revealed = (await run('RevealCredentials', variablesPane(text, '<its id>', feed.id))).data
      ?.integrationCredentialsReveal;
    expect(revealed.errors).toEqual([]);

    // when the script runs with them pasted in
    const [script = ''] = codeBlocks(text, 'js');
    expect(script).toContain(`'${DEMO_ORIGIN}/graphql'`);
    const pasted = Object.entries(revealed.credentials as Record<string, string>).reduce(
      (source, [field, value]) => source.replace(`<${field}>`, value),
      script.replace(DEMO_ORIGIN, origin),
    );
    const result = await runScript(process.execPath, ['--input-type=module'], pasted);

    // then it prints the README's line
    const [printed = ''] = codeBlocks(text, '');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(printed);
    expect(result.code).toBe(0);
  });
});

describe('docs/admins.md "Walkthrough"', () => {
  const WALKTHROUGH = 'Walkthrough: managing an integration';
  let admin: AdminApp;
  const run = (name: string, variables: Record<string, unknown> = {}) =>
    admin.t.gql(operation(ADMINS, name), variables, { token: admin.token });
  const seededIds = async () =>
    (await admin.t.gql('{ integrations { nodes { id } } }', {}, { token: admin.token })).data
      ?.integrations.nodes;

  beforeEach(async () => {
    admin = await adminApp();
    await seedDemoIntegrations(admin.t.app.services);
  });

  it('finds Magento_Sales::actions_view in the flat Tree at depth 5', async () => {
    const response = await run('Tree');

    expect(response.errors).toBeUndefined();
    expect(response.data?.aclResourcesFlat).toContainEqual({
      id: 'Magento_Sales::actions_view',
      title: 'View',
      parentId: 'Magento_Sales::actions',
      depth: 5,
    });
  });

  it('runs every step on the id Create returned, next to the three demo integrations', async () => {
    // given the demo's own integrations
    const demo = await seededIds();
    expect(demo).toHaveLength(3);

    // Create, and the id into the Variables pane as the walkthrough shows it
    const created = await run('Create');
    expect(created.data?.integrationCreate.errors).toEqual([]);
    const id = created.data?.integrationCreate.integration.id;
    expect(demo).not.toContainEqual({ id });
    const variables = variablesPane(
      section(ADMINS, WALKTHROUGH),
      '<the id returned by Create>',
      id,
    );
    expect(variables).toEqual({ id });

    // Activate
    const activated = (await run('Activate', variables)).data?.integrationActivate;
    expect(activated.errors).toEqual([]);
    expect(activated.integration.status).toBe('ACTIVE');
    expect(activated.credentials.accessToken).toEqual(expect.any(String));

    // Edit
    const edited = (await run('Edit', variables)).data?.integrationUpdate;
    expect(edited.errors).toEqual([]);
    expect(edited.integration).toMatchObject({
      name: 'Acme ERP',
      email: 'integrations@acme.example',
      resources: [
        'Magento_Catalog::products',
        'Magento_Sales::actions_view',
        'Magento_Sales::hold',
      ],
    });

    // Reveal shows what Activate issued; Rotate replaces the access token
    const revealed = (await run('Reveal', variables)).data?.integrationCredentialsReveal;
    expect(revealed).toEqual({ credentials: activated.credentials, errors: [] });
    const rotated = (await run('Rotate', variables)).data?.integrationReauthorize;
    expect(rotated.errors).toEqual([]);
    expect(rotated.credentials.accessToken).not.toBe(activated.credentials.accessToken);

    // Grid
    const grid = (await run('Grid')).data?.integrations;
    expect(grid.nodes.map((node: { name: string }) => node.name)).toContain('Acme ERP');

    // Delete removes this one only
    const deleted = (await run('Delete', variables)).data?.integrationDelete;
    expect(deleted).toEqual({ deletedId: id, errors: [] });
    expect(await seededIds()).toEqual(demo);

    // Audit
    const actions = (await run('Audit')).data?.auditLog.nodes.map(
      (node: { action: string }) => node.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'INTEGRATION_CREATED',
        'INTEGRATION_ACTIVATED',
        'INTEGRATION_UPDATED',
        'INTEGRATION_CREDENTIALS_REVEALED',
        'INTEGRATION_REAUTHORIZED',
        'INTEGRATION_DELETED',
      ]),
    );
  });

  it('asks for the password in each mutation the sentence names, and refuses a wrong one', async () => {
    // given the mutations the walkthrough says re-check the password
    const sentence =
      section(ADMINS, WALKTHROUGH)
        .split('\n\n')
        .find((paragraph) => paragraph.includes('(`currentPassword`)')) ?? '';
    const named = [...sentence.matchAll(/`(\w+)`/g)].map((match) => match[1]);
    // and those that take it, as an argument or as a field of their input
    const schema = await admin.t.gql(
      '{ __type(name: "Mutation") { fields { name args { name type { ofType { inputFields { name } } } } } } }',
      {},
      { token: admin.token },
    );
    type Arg = {
      name: string;
      type: { ofType: { inputFields: { name: string }[] | null } | null };
    };
    const asking = schema.data?.__type.fields
      .filter((field: { args: Arg[] }) =>
        field.args.some(
          (arg) =>
            arg.name === 'currentPassword' ||
            arg.type.ofType?.inputFields?.some((input) => input.name === 'currentPassword'),
        ),
      )
      .map((field: { name: string }) => field.name);

    // then the sentence names exactly those
    const mutations = named.filter(
      (name) => /^[a-z]/.test(name ?? '') && name !== 'currentPassword',
    );
    expect(mutations.sort()).toEqual(asking.sort());

    // and the walkthrough's Activate with a wrong password changes nothing
    const created = await run('Create');
    const id = created.data?.integrationCreate.integration.id;
    const wrong = await admin.t.gql(
      operation(ADMINS, 'Activate').replace(ADMIN_PASSWORD, 'not my password'),
      { id },
      { token: admin.token },
    );
    expect(wrong.errors?.[0]?.extensions?.code).toBe('REAUTHENTICATION_FAILED');
    const after = await admin.t.gql(
      'query($id: ID!) { integration(id: $id) { status hasAccessToken } }',
      { id },
      { token: admin.token },
    );
    expect(after.data?.integration).toEqual({ status: 'INACTIVE', hasAccessToken: false });
  });
});

describe('docs/admins.md "Admin accounts and lockout"', () => {
  it('creates alice with the piped passphrase, and unlocks her after six failures locked her', async () => {
    // given the two commands of the section
    const admin = await adminApp();
    const [commands = ''] = codeBlocks(section(ADMINS, 'Admin accounts and lockout'), 'sh');
    const [, passphrase = '', createArgs = ''] =
      /^echo '([^']+)' \| npm run admin:create -- (.+)$/m.exec(commands) ?? [];
    const [, unlockArgs = ''] = /^npm run admin:unlock -- (.+)$/m.exec(commands) ?? [];
    const env = { ...PRODUCTION_ENV, DATABASE_URL: admin.t.config.databaseUrl };

    // when alice is created, and six wrong passwords lock her out
    const created = await runCli('admin-create.ts', createArgs.split(' '), env, `${passphrase}\n`);
    for (let attempt = 1; attempt <= 6; attempt++) {
      await expect(admin.t.signIn('alice', 'not her passphrase')).rejects.toThrow();
    }
    await expect(admin.t.signIn('alice', passphrase)).rejects.toThrow('ACCOUNT_LOCKED');
    const unlocked = await runCli('admin-unlock.ts', unlockArgs.split(' '), env);

    // then her passphrase signs her in again
    expect([created.stderr, created.code, unlocked.stderr, unlocked.code]).toEqual(['', 0, '', 0]);
    expect(await admin.t.signIn('alice', passphrase)).toEqual(expect.any(String));
  }, 60_000);
});

describe('docs/integrators.md "A complete integrator in Python" against the demo', () => {
  const PYTHON = 'A complete integrator in Python';
  let listener: CallbackListener;
  let running: RunningServer | undefined;
  beforeEach(async () => {
    listener = await startListener();
  });
  afterEach(async () => {
    await listener.close();
    await running?.close(0);
  });

  /** CreatePy with its callback on the test's listener instead of port 8765, then Activate. */
  async function createAndActivate(env: Record<string, string>) {
    const admin = await adminApp(env);
    await seedDemoIntegrations(admin.t.app.services);
    const createPy = operation(INTEGRATORS, 'CreatePy').replaceAll('8765', String(listener.port));
    const created = await admin.t.gql(createPy, {}, { token: admin.token });
    expect(created.data?.integrationCreate.errors).toEqual([]);
    const id = created.data?.integrationCreate.integration.id;
    const activated = await admin.t.gql(
      operation(ADMINS, 'Activate'),
      { id },
      { token: admin.token },
    );
    return activated.data?.integrationActivate;
  }

  it('runs as written: takes the credentials at its callback, exchanges them and prints the line shown', async () => {
    // given the script on the test's ports instead of the demo's 4000 and 8765; development mode,
    // as for the README's signed request: the script calls the plain-http origin the demo serves
    const [port, callbackPort] = [await freePort(), await freePort()];
    const origin = `http://127.0.0.1:${port}`;
    const admin = await adminApp({
      NODE_ENV: 'development',
      PUBLIC_BASE_URL: origin,
      CALLBACK_ALLOWED_HOSTS: '127.0.0.1',
    });
    running = await listenOn(admin, port);
    const [script = ''] = codeBlocks(section(INTEGRATORS, PYTHON), 'python');
    const integrator = runScript(
      PYTHON_WITH_REQUESTS_OAUTHLIB,
      ['-'],
      script.replace(DEMO_ORIGIN, origin).replaceAll('8765', String(callbackPort)),
    );
    await accepting(callbackPort);

    // when the admin creates its integration and activates it
    const created = await admin.t.gql(
      operation(INTEGRATORS, 'CreatePy').replaceAll('8765', String(callbackPort)),
      {},
      { token: admin.token },
    );
    const id = created.data?.integrationCreate.integration.id;
    const activated = await admin.t.gql(
      operation(ADMINS, 'Activate'),
      { id },
      { token: admin.token },
    );
    const result = await integrator;

    // then the script prints the line the document shows after it
    const shown = /^# (200 .+)$/m.exec(script)?.[1] ?? 'the document shows no output';
    expect(activated.data?.integrationActivate.errors).toEqual([]);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toMatchObject({
      code: 0,
      stdout: `${shown.replace('<its id>', id)}\n`,
    });
  }, 60_000);

  it('has the script listen where CreatePy sends the callback, and call the demo', () => {
    const [script = ''] = codeBlocks(section(INTEGRATORS, PYTHON), 'python');

    expect(operation(INTEGRATORS, 'CreatePy')).toContain('"http://127.0.0.1:8765/callback"');
    expect(script).toContain('HTTPServer(("127.0.0.1", 8765), Callback)');
    expect(script).toContain(`GATEWAY = "${DEMO_ORIGIN}"`);
  });

  it('with CALLBACK_ALLOWED_HOSTS=127.0.0.1, posts the consumer credentials to the script', async () => {
    expect(section(INTEGRATORS, PYTHON)).toContain('CALLBACK_ALLOWED_HOSTS=127.0.0.1 npm run demo');

    const payload = await createAndActivate({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1' });

    expect(payload.errors).toEqual([]);
    expect(payload.tokenExchange.consumerKey).toEqual(expect.any(String));
    expect(listener.received).toHaveLength(1);
    expect(listener.received[0]?.form.get('oauth_consumer_key')).toBe(
      payload.tokenExchange.consumerKey,
    );
  });

  it('without it, answers the CALLBACK_FAILED the document quotes', async () => {
    const quoted = /activating answers `CALLBACK_FAILED`: "([^"]+)"/.exec(
      folded(section(INTEGRATORS, PYTHON)),
    );

    const payload = await createAndActivate({});

    expect(payload.errors).toEqual([
      { code: 'CALLBACK_FAILED', message: quoted?.[1] ?? 'the document quotes no message' },
    ]);
    expect(listener.received).toEqual([]);
  });
});

describe('docs/integrators.md "Integrations as code"', () => {
  const text = section(INTEGRATORS, 'Integrations as code (setup type CONFIG)');
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('syncs the YAML example with npm run integrations:sync, and refuses edits and deletes as quoted', async () => {
    // given the example as the file INTEGRATIONS_CONFIG points at
    const admin = await adminApp();
    const [yaml = ''] = codeBlocks(text, 'yaml');
    dir = mkdtempSync(join(tmpdir(), 'ig-docs-'));
    const file = join(dir, 'integrations.yaml');
    writeFileSync(file, yaml);
    const names = parseYaml(yaml).integrations.map((entry: { name: string }) => entry.name);

    // when
    const result = await runCli('integrations-sync.ts', [], {
      ...PRODUCTION_ENV,
      DATABASE_URL: admin.t.config.databaseUrl,
      INTEGRATIONS_CONFIG: file,
    });

    // then every declaration is created as the list says
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ created: names });
    const listed = await admin.t.gql(
      '{ integrations(orderBy: { field: NAME, direction: ASC }) { nodes { id name status setupType } } }',
      {},
      { token: admin.token },
    );
    const nodes = listed.data?.integrations.nodes;
    expect(nodes.map((node: { name: string }) => node.name)).toEqual([...names].sort());
    for (const node of nodes)
      expect(node).toMatchObject({ status: 'INACTIVE', setupType: 'CONFIG' });

    // and the walkthrough's Edit and Delete get the messages the document quotes
    const prose = folded(text);
    const notEditable = /`NOT_EDITABLE`: "([^"]+)"/.exec(prose)?.[1];
    const notDeletable = /`NOT_DELETABLE`: "([^"]+)"/.exec(prose)?.[1] ?? '';
    const [declared] = nodes;
    const edit = await admin.t.gql(
      operation(ADMINS, 'Edit'),
      { id: declared.id },
      { token: admin.token },
    );
    const remove = await admin.t.gql(
      operation(ADMINS, 'Delete'),
      { id: declared.id },
      { token: admin.token },
    );
    expect(edit.data?.integrationUpdate.errors).toEqual([
      expect.objectContaining({ code: 'NOT_EDITABLE', message: notEditable }),
    ]);
    expect(remove.data?.integrationDelete.errors).toEqual([
      expect.objectContaining({
        code: 'NOT_DELETABLE',
        message: notDeletable.replace('<name>', declared.name),
      }),
    ]);
  }, 60_000);
});

describe('docs/data-plane.md "Examples"', () => {
  const text = section(DATA_PLANE, 'Examples');
  const [FORBIDDEN_ERROR = '{}'] = codeBlocks(text, 'json');
  const GUEST_EXAMPLE = /Anonymously, `([^`]+)`/.exec(folded(text))?.[1] ?? '';
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await demoStoreApp();
    await seedDemoIntegrations(admin.t.app.services);
  });

  it('answers an admin with products and orders', async () => {
    const response = await admin.t.gql(
      operation(DATA_PLANE, 'StoreData'),
      {},
      { token: admin.token },
    );

    expect(response.errors).toBeUndefined();
    const prices = response.data?.products.nodes.map((p: { price: number }) => p.price);
    expect(prices).toHaveLength(3);
    expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    expect(response.data?.orders.nodes).toHaveLength(2);
  });

  it('answers the demo integration "Catalog Feed" with products, and orders null + FORBIDDEN', async () => {
    // given its credentials, revealed by the admin as the README does
    const listed = await admin.t.gql(operation(README, 'Integrations'), {}, { token: admin.token });
    const id = listed.data?.integrations.nodes.find(
      (node: { name: string }) => node.name === 'Catalog Feed',
    )?.id;
    const revealed = await admin.t.gql(
      operation(README, 'RevealCredentials'),
      { id },
      { token: admin.token },
    );
    const c = revealed.data?.integrationCredentialsReveal.credentials;
    const credentials = {
      consumerKey: c.consumerKey,
      consumerSecret: c.consumerSecret,
      token: c.accessToken,
      tokenSecret: c.accessTokenSecret,
    };

    // when
    const response = await signedGql(admin, credentials, operation(DATA_PLANE, 'StoreData'));

    // then
    expect(response.json.data?.products.nodes).toHaveLength(3);
    expect(response.json.data?.orders).toBeNull();
    expect(response.json.errors).toEqual([expect.objectContaining(JSON.parse(FORBIDDEN_ERROR))]);
  });

  it('answers anonymous callers UNAUTHENTICATED with guest access off, and data once Settings turns it on', async () => {
    const off = await admin.t.gql(GUEST_EXAMPLE);
    expect(off.data).toEqual({ cmsPage: null, products: null });
    expect(off.errors?.map((e) => e.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);

    const settings = await admin.t.gql(operation(ADMINS, 'Settings'), {}, { token: admin.token });
    expect(settings.data?.securitySettingsUpdate).toMatchObject({
      securitySettings: { allowAnonymousGuestAccess: true, updatedBy: { username: 'admin' } },
      errors: [],
    });
    const on = await admin.t.gql(GUEST_EXAMPLE);
    expect(on.errors).toBeUndefined();
    expect(on.data?.cmsPage.title).toBe('Home');
    expect(on.data?.products.nodes).toHaveLength(2);
  });
});

describe('the graphql blocks of every document', () => {
  // Last in this file: the tests above record the operations they run.
  it('are each run by a test above, or listed in NOT_EXECUTED with the reason', () => {
    const all = DOCUMENT_PATHS.flatMap((path) =>
      [...operationsOf(readMarkdown(path)).keys()].map((name) => `${path}#${name}`),
    );

    expect(all.filter((key) => !executed.has(key) && !(key in NOT_EXECUTED))).toEqual([]);
    expect(Object.keys(NOT_EXECUTED).filter((key) => !all.includes(key))).toEqual([]);
  });
});
