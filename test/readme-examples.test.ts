import { readFileSync } from 'node:fs';
import { Kind, type OperationDefinitionNode, parse, print } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoIntegrations } from '../src/cli/demo-data.js';
import {
  type AdminApp,
  adminApp,
  type CallbackListener,
  startListener,
} from './support/oauth-flow.js';
import { demoStoreApp, signedGql } from './support/store.js';
import { ADMIN_PASSWORD } from './support/test-app.js';

// The examples of README.md, read from README.md itself and run as a reader would run them.
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const PASSWORD_PLACEHOLDER = '<your password>';

/** The text of the `## title` section, up to the next section of the same level. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}`);
  expect(start, `README section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(text: string, language: string): string[] {
  const fence = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g');
  return [...text.matchAll(fence)].map((match) => match[1] as string);
}

/** Prose with its line breaks folded, so a quoted sentence can be found whatever its wrapping. */
const prose = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** The operation called `name` in a graphql block of the section, with the password filled in. */
function operation(sectionTitle: string, name: string): string {
  for (const block of codeBlocks(section(sectionTitle), 'graphql')) {
    const found = parse(block.replaceAll(PASSWORD_PLACEHOLDER, ADMIN_PASSWORD)).definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name,
    );
    if (found) return print({ kind: Kind.DOCUMENT, definitions: [found] });
  }
  throw new Error(`README section "${sectionTitle}" has no operation ${name}`);
}

describe('README "Signing in from GraphiQL"', () => {
  it('signs in with the printed password and shows the viewer', async () => {
    const { t } = await adminApp();
    const text = section('Signing in from GraphiQL');
    const [signInBlock] = codeBlocks(text, 'graphql');
    const viewer = /Then `(query \{ viewer \{[^`]+)`/.exec(text)?.[1] ?? '';

    const signIn = await t.gql(
      (signInBlock ?? '').replace('<password printed by npm run demo>', ADMIN_PASSWORD),
    );
    const token = signIn.data?.adminLogin.token;
    const me = await t.gql(viewer, {}, { token });

    expect(signIn.data?.adminLogin.errors).toEqual([]);
    expect(me.data?.viewer).toMatchObject({ username: 'admin' });
  });
});

describe('README "Walkthrough"', () => {
  const WALKTHROUGH = 'Walkthrough: managing an integration';
  let admin: AdminApp;
  const run = (name: string, variables: Record<string, unknown> = {}) =>
    admin.t.gql(operation(WALKTHROUGH, name), variables, { token: admin.token });
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

    // Create, and the id into the Variables pane as the README shows it
    const created = await run('Create');
    expect(created.data?.integrationCreate.errors).toEqual([]);
    const id = created.data?.integrationCreate.integration.id;
    expect(demo).not.toContainEqual({ id });
    const [pane] = codeBlocks(section(WALKTHROUGH), 'json');
    const variables = JSON.parse((pane ?? '').replace('<the id returned by Create>', id));
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
      section(WALKTHROUGH)
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
      operation(WALKTHROUGH, 'Activate').replace(ADMIN_PASSWORD, 'not my password'),
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

describe('README "OAuth 1.0a for integrators": the Python integrator against the demo', () => {
  const OAUTH = 'OAuth 1.0a for integrators';
  let listener: CallbackListener;
  beforeEach(async () => {
    listener = await startListener();
  });
  afterEach(() => listener.close());

  /** CreatePy with its callback on the test's listener instead of port 8765, then Activate. */
  async function createAndActivate(env: Record<string, string>) {
    const admin = await adminApp(env);
    await seedDemoIntegrations(admin.t.app.services);
    const createPy = operation(OAUTH, 'CreatePy').replaceAll('8765', String(listener.port));
    const created = await admin.t.gql(createPy, {}, { token: admin.token });
    expect(created.data?.integrationCreate.errors).toEqual([]);
    const id = created.data?.integrationCreate.integration.id;
    const activated = await admin.t.gql(
      operation('Walkthrough: managing an integration', 'Activate'),
      { id },
      { token: admin.token },
    );
    return activated.data?.integrationActivate;
  }

  it('with CALLBACK_ALLOWED_HOSTS=127.0.0.1, posts the consumer credentials to the script', async () => {
    expect(section(OAUTH)).toContain('CALLBACK_ALLOWED_HOSTS=127.0.0.1 npm run demo');

    const payload = await createAndActivate({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1' });

    expect(payload.errors).toEqual([]);
    expect(payload.tokenExchange.consumerKey).toEqual(expect.any(String));
    expect(listener.received).toHaveLength(1);
    expect(listener.received[0]?.form.get('oauth_consumer_key')).toBe(
      payload.tokenExchange.consumerKey,
    );
  });

  it('without it, answers the CALLBACK_FAILED the README quotes', async () => {
    const quoted = /activating answers `CALLBACK_FAILED`: "([^"]+)"/.exec(prose(section(OAUTH)));

    const payload = await createAndActivate({});

    expect(payload.errors).toEqual([
      { code: 'CALLBACK_FAILED', message: quoted?.[1] ?? 'the README quotes no message' },
    ]);
    expect(listener.received).toEqual([]);
  });
});

describe('README "Store data"', () => {
  const STORE = 'Store data: catalog, CMS, store, customers, orders';
  const text = section(STORE);
  const [ADMIN_EXAMPLE = ''] = codeBlocks(text, 'graphql');
  const [FORBIDDEN_ERROR = '{}'] = codeBlocks(text, 'json');
  const GUEST_EXAMPLE = /Anonymously, `([^`]+)`/.exec(prose(text))?.[1] ?? '';
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await demoStoreApp();
    await seedDemoIntegrations(admin.t.app.services);
  });

  it('answers an admin with products and orders', async () => {
    const response = await admin.t.gql(ADMIN_EXAMPLE, {}, { token: admin.token });

    expect(response.errors).toBeUndefined();
    const prices = response.data?.products.nodes.map((p: { price: number }) => p.price);
    expect(prices).toHaveLength(3);
    expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    expect(response.data?.orders.nodes).toHaveLength(2);
  });

  it('answers the demo integration "Catalog Feed" with products, and orders null + FORBIDDEN', async () => {
    // given its credentials, revealed by the admin
    const found = await admin.t.gql(
      '{ integrations(filter: { nameContains: "Catalog Feed" }) { nodes { id } } }',
      {},
      { token: admin.token },
    );
    const id = found.data?.integrations.nodes[0]?.id;
    const revealed = await admin.t.gql(
      operation('Walkthrough: managing an integration', 'Reveal'),
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
    const response = await signedGql(admin, credentials, ADMIN_EXAMPLE);

    // then
    expect(response.json.data?.products.nodes).toHaveLength(3);
    expect(response.json.data?.orders).toBeNull();
    expect(response.json.errors).toEqual([expect.objectContaining(JSON.parse(FORBIDDEN_ERROR))]);
  });

  it('answers anonymous callers UNAUTHENTICATED with guest access off, and data with it on', async () => {
    const off = await admin.t.gql(GUEST_EXAMPLE);
    expect(off.data).toEqual({ cmsPage: null, products: null });
    expect(off.errors?.map((e) => e.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);

    await admin.t.gql(
      operation('Walkthrough: managing an integration', 'Settings'),
      {},
      { token: admin.token },
    );
    const on = await admin.t.gql(GUEST_EXAMPLE);
    expect(on.errors).toBeUndefined();
    expect(on.data?.cmsPage.title).toBe('Home');
    expect(on.data?.products.nodes).toHaveLength(2);
  });
});
