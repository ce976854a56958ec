import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleBrowser,
  type ConsoleGateway,
  clipboardText,
  expectAccessible,
  launchBrowser,
  screenshot,
  startConsoleGateway,
} from '../support/browser.js';
import { startListener } from '../support/callback-listener.js';
import { type ClientCredentials, oauthHeader } from '../support/oauth-client.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

// The seed admin guide, done in the console in Chromium against the real server: sign in, add an
// integration with custom resources picked in the tree, see and fix "Integration not secure",
// activate and copy the four credentials, call the API signed with exactly those, reauthorize,
// delete; the Web API security setting; the audit log; the token exchange.

let gateway: ConsoleGateway;
let browser: ConsoleBrowser;
let page: Page;
/** Every URL the console's page requested or navigated to. */
const urls: string[] = [];

const GRANTED_AND_SIBLING = /* GraphQL */ `{ products(first: 1) { totalCount } categories { id } }`;

/** A signed GraphQL POST through HAProxy, signed over the public origin as an integrator does. */
async function signedPost(credentials: ClientCredentials, query: string) {
  const url = `${gateway.origin}/graphql`;
  const answer = await gateway.proxy.send('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: oauthHeader(credentials, { url, method: 'POST' }),
    },
    body: JSON.stringify({ query }),
  });
  return { status: answer.status, body: JSON.parse(answer.text) };
}

/** A token endpoint called as the third party does, through HAProxy. */
async function tokenEndpoint(path: string, credentials: ClientCredentials, verifier?: string) {
  const answer = await gateway.proxy.send(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: oauthHeader(
        credentials,
        { url: `${gateway.origin}${path}`, method: 'POST' },
        verifier ? { extra: { oauth_verifier: verifier } } : {},
      ),
    },
    body: '',
  });
  return { status: answer.status, form: new URLSearchParams(answer.text) };
}

const row = (name: string) => page.getByRole('row').filter({ hasText: name });

async function copyCredentials(): Promise<Record<string, string>> {
  const dialog = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
  await dialog.waitFor();
  const copied: Record<string, string> = {};
  for (const label of ['Consumer Key', 'Consumer Secret', 'Access Token', 'Access Token Secret']) {
    await dialog.getByRole('button', { name: `Copy ${label}`, exact: true }).click();
    await dialog.getByText('Copied').first().waitFor();
    copied[label] = await clipboardText(page);
    expect(copied[label]).toBe(await dialog.getByLabel(label, { exact: true }).inputValue());
  }
  return copied;
}

const credentialsOf = (copied: Record<string, string>): Required<ClientCredentials> => ({
  consumerKey: copied['Consumer Key'] ?? '',
  consumerSecret: copied['Consumer Secret'] ?? '',
  token: copied['Access Token'] ?? '',
  tokenSecret: copied['Access Token Secret'] ?? '',
});

async function confirmWithPassword(dialogName: string | RegExp, button: string) {
  const dialog = page.getByRole('alertdialog', { name: dialogName });
  await dialog.getByLabel('Your Password').fill(ADMIN_PASSWORD);
  await dialog.getByRole('button', { name: button, exact: true }).click();
}

beforeAll(async () => {
  gateway = await startConsoleGateway({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1' });
  await gateway.t.createAdmin();
  browser = await launchBrowser(gateway.origin);
  page = browser.page;
  page.on('request', (request) => urls.push(request.url()));
  page.on('framenavigated', (frame) => urls.push(frame.url()));
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('the admin console, as the seed admin guide', () => {
  it('serves /admin with a strict Content-Security-Policy and shows the sign-in page', async () => {
    const response = await page.goto(`${gateway.origin}/admin/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    await page.getByRole('heading', { name: 'Sign in to the Integrations console' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
  });

  it('signs in with a session cookie the page script cannot read', async () => {
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await page.getByText('No Integrations Found').waitFor();
    const cookies = await browser.context.cookies(gateway.origin);
    expect(
      cookies.map(({ name, httpOnly, secure, sameSite }) => ({ name, httpOnly, secure, sameSite })),
    ).toEqual([
      { name: '__Host-ig_admin_session', httpOnly: true, secure: true, sameSite: 'Strict' },
    ]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('refuses a cross-site form POST and a cookie request without the CSRF header', async () => {
    const forged = `mutation { integrationCreate(input: { name: "Forged", resourceAccess: ALL, currentPassword: "${ADMIN_PASSWORD}" }) { integration { id } } }`;
    const attackerSite = await startListener((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(
        `<form method="POST" action="${gateway.origin}/graphql"><input name="query" value='${forged}'></form>` +
          '<script>document.forms[0].submit()</script>',
      );
    });
    const attacker = await browser.context.newPage();
    const answered = attacker.waitForResponse(`${gateway.origin}/graphql`);
    await attacker.goto(attackerSite.url('/'));
    expect((await answered).status()).toBe(415);
    await attacker.close();

    // The console's own page, with the cookie but without the header: refused too.
    const status = await page.evaluate(
      async (query) =>
        (
          await fetch('/graphql', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query }),
          })
        ).status,
      forged,
    );
    expect(status).toBe(403);
    const count = await gateway.t.gql(
      '{ integrations { totalCount } }',
      {},
      {
        token: await gateway.t.signIn(),
      },
    );
    expect(count.data?.integrations.totalCount).toBe(0);
  });

  it('adds an integration with custom resources picked in the tree; errors appear at their fields', async () => {
    await page.getByRole('link', { name: 'Add New Integration' }).click();
    await page.getByRole('heading', { name: 'New Integration' }).waitFor();
    await expectAccessible(page, 'new integration, Integration Info tab');
    await page.getByLabel('Name').fill('Acme ERP');
    await page.getByLabel('Email').fill('not an address');
    await page.getByLabel('Callback URL').fill('http://erp.acme.example/callback');

    await page.getByRole('tab', { name: 'API' }).click();
    await page.getByLabel('Search resources').fill('products');
    const products = page.getByRole('row', { name: 'Products' });
    await products.getByRole('checkbox').check({ force: true });
    await page.getByLabel('Search resources').fill('');
    const indeterminate = (name: string) =>
      page
        .getByRole('row', { name, exact: true })
        .getByRole('checkbox')
        .evaluate((input) => (input as HTMLInputElement).indeterminate);
    expect(await indeterminate('Inventory')).toBe(true);
    expect(await indeterminate('Catalog')).toBe(true);
    await expectAccessible(page, 'new integration, API tab');
    await screenshot(page, 'integration-api-tab');

    // A wrong password shows on the password field; nothing is saved.
    await page.getByRole('tab', { name: 'Integration Info' }).click();
    await page.getByLabel('Your Password').fill('not my password');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('That is not your password.').waitFor();

    // The payload's errors[].field: the email is refused next to the Email field.
    await page.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const emailError = page
      .locator('.field', { has: page.getByLabel('Email') })
      .locator('[slot="errorMessage"]');
    await emailError.waitFor();
    expect(await emailError.textContent()).toMatch(/email/i);
    await screenshot(page, 'integration-info-errors');

    await page.getByLabel('Email').fill('erp@acme.example');
    await page.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText("The integration 'Acme ERP' has been saved.").waitFor();
    const rows = await gateway.t.gql(
      `{ integrations { nodes { name resources status } } }`,
      {},
      {
        token: await gateway.t.signIn(),
      },
    );
    expect(rows.data?.integrations.nodes).toEqual([
      { name: 'Acme ERP', resources: ['Magento_Catalog::products'], status: 'INACTIVE' },
    ]);
  });

  it('labels the http callback "Integration not secure" until it is fixed', async () => {
    await row('Acme ERP').getByText('Integration not secure').waitFor();
    await page.getByText('Warning! Integrations not using HTTPS are insecure').waitFor();
    await expectAccessible(page, 'integrations grid with a warning');

    await row('Acme ERP').getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit "Acme ERP" Integration' }).waitFor();
    await page.getByLabel('Callback URL').fill('https://erp.acme.example/callback');
    await page.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText("The integration 'Acme ERP' has been saved.").waitFor();
    await row('Acme ERP').getByText('Inactive').waitFor();
    expect(await page.getByText('Integration not secure').count()).toBe(0);
    expect(await page.getByText('Warning! Integrations not using HTTPS').count()).toBe(0);
  });

  let first: Required<ClientCredentials>;

  it('activates: Allow, then the four credentials copied, and they sign API calls', async () => {
    await row('Acme ERP').getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Activate "Acme ERP"' });
    await dialog.getByText('Products').waitFor();
    await expectAccessible(page, 'activation dialog');
    await screenshot(page, 'activate-dialog');
    await confirmWithPassword('Activate "Acme ERP"', 'Allow');
    first = credentialsOf(await copyCredentials());
    await expectAccessible(page, 'tokens dialog');
    await screenshot(page, 'tokens-dialog');
    await page.getByRole('button', { name: 'Done' }).click();
    await row('Acme ERP').getByText('Active').waitFor();
    await screenshot(page, 'integrations-grid');

    const signed = await signedPost(first, GRANTED_AND_SIBLING);
    expect(signed.status).toBe(200);
    expect(signed.body.data.products).toEqual({ totalCount: expect.any(Number) });
    expect(signed.body.data.categories).toBeNull();
    expect(signed.body.errors.map((e: any) => [e.path.join('.'), e.extensions.code])).toEqual([
      ['categories', 'FORBIDDEN'],
    ]);
  });

  it('reauthorizes: new access token, the old one refused at once', async () => {
    await row('Acme ERP').getByRole('button', { name: 'Reauthorize' }).click();
    await confirmWithPassword('Reauthorize "Acme ERP"', 'Reauthorize');
    const second = credentialsOf(await copyCredentials());
    await page.getByRole('button', { name: 'Done' }).click();
    expect(second.consumerKey).toBe(first.consumerKey);
    expect(second.token).not.toBe(first.token);

    expect((await signedPost(first, GRANTED_AND_SIBLING)).status).toBe(401);
    const fresh = await signedPost(second, GRANTED_AND_SIBLING);
    expect(fresh.body.data.products).toEqual({ totalCount: expect.any(Number) });
  });

  it('reveals the credentials again after the password', async () => {
    await row('Acme ERP').getByRole('button', { name: 'Credentials' }).click();
    await confirmWithPassword('Credentials of "Acme ERP"', 'Show credentials');
    const dialog = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
    expect(await dialog.getByLabel('Consumer Key', { exact: true }).inputValue()).toBe(
      first.consumerKey,
    );
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('deletes after a confirmation naming the integration', async () => {
    await page.getByRole('button', { name: 'Delete Acme ERP' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete "Acme ERP"?' });
    await dialog.getByText('Are you sure you want to delete the integration Acme ERP?').waitFor();
    await expectAccessible(page, 'delete confirmation');
    await screenshot(page, 'delete-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await row('Acme ERP').waitFor();

    await page.getByRole('button', { name: 'Delete Acme ERP' }).click();
    await confirmWithPassword('Delete "Acme ERP"?', 'OK');
    await page.getByText("The integration 'Acme ERP' has been deleted.").waitFor();
    await page.getByText('No Integrations Found').waitFor();
  });

  it('turns on Allow Anonymous Guest Access, which an anonymous request then sees', async () => {
    const anonymous = async () =>
      JSON.parse(
        (
          await gateway.proxy.send('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ storeViews { code } }' }),
          })
        ).text,
      );
    expect((await anonymous()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await page.getByRole('link', { name: 'Web API Security' }).click();
    await page.getByRole('heading', { name: 'Web API Security' }).waitFor();
    await expectAccessible(page, 'web API security');
    const toggle = page.getByRole('switch', { name: /Allow Anonymous Guest Access/ });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check({ force: true });
    await page.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Save Config' }).click();
    await page.getByText('You saved the configuration.').waitFor();
    await page.getByText('Last changed by admin').waitFor();
    await screenshot(page, 'web-api-security');
    const after = await anonymous();
    expect(after.errors).toBeUndefined();
    expect(after.data.storeViews).toEqual(expect.any(Array));
  });

  it('shows the audit log, filterable and paged', async () => {
    await page.getByRole('link', { name: 'Audit Log' }).click();
    await page.getByRole('heading', { name: 'Audit Log' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Integration deleted' }).waitFor();
    await expectAccessible(page, 'audit log');
    await screenshot(page, 'audit-log');
    await page.getByLabel('Action').selectOption('INTEGRATION_REAUTHORIZED');
    await page.getByText('1 entries').waitFor();
    expect(
      await page.getByRole('row').filter({ hasText: 'Integration reauthorized' }).count(),
    ).toBe(1);
  });

  it('runs the token exchange: identity link in a new window, waiting, then Active', async () => {
    const listener = await startListener();
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    await page.getByRole('link', { name: 'Add New Integration' }).click();
    await page.getByLabel('Name').fill('Partner App');
    await page.getByLabel('Callback URL').fill(listener.url('/callback'));
    await page.getByLabel('Identity Link URL').fill(listener.url('/link'));
    await page.getByRole('tab', { name: 'API' }).click();
    await page.getByRole('radio', { name: 'All' }).check({ force: true });
    await page.getByRole('tab', { name: 'Integration Info' }).click();
    await page.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText("The integration 'Partner App' has been saved.").waitFor();

    await row('Partner App').getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('alertdialog').getByText('All resources').waitFor();
    const popup = browser.context.waitForEvent('page');
    await confirmWithPassword('Activate "Partner App"', 'Allow');
    const identityPage = await popup;
    await identityPage.waitForLoadState();
    const link = new URL(identityPage.url());
    expect(link.pathname).toBe('/link');
    // noopener: the third party's page has no handle on the console.
    expect(await identityPage.evaluate(() => window.opener)).toBeNull();
    await page
      .getByRole('dialog', { name: 'Token exchange started' })
      .getByRole('button', { name: 'Close' })
      .click();
    await row('Partner App').getByText('Waiting for the third party').waitFor();
    await row('Partner App').getByText('Integration not secure').waitFor();
    await screenshot(page, 'integrations-grid-waiting');

    const callback = listener.received.find((r) => r.url === '/callback');
    expect(callback).toBeDefined();
    const form = callback?.form ?? new URLSearchParams();
    expect(link.searchParams.get('oauth_consumer_key')).toBe(form.get('oauth_consumer_key'));
    const consumer = {
      consumerKey: form.get('oauth_consumer_key') ?? '',
      consumerSecret: form.get('oauth_consumer_secret') ?? '',
    };
    const request = await tokenEndpoint('/oauth/token/request', consumer);
    expect(request.status).toBe(200);
    const access = await tokenEndpoint(
      '/oauth/token/access',
      {
        ...consumer,
        token: request.form.get('oauth_token') ?? '',
        tokenSecret: request.form.get('oauth_token_secret') ?? '',
      },
      form.get('oauth_verifier') ?? '',
    );
    expect(access.status).toBe(200);
    await row('Partner App').getByText('Active').waitFor();
    await identityPage.close();
  });

  it('kept the secrets out of storage and out of every URL', async () => {
    const secrets = [first.consumerSecret, first.token, first.tokenSecret, ADMIN_PASSWORD];
    expect(urls.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(
        urls.filter((url) => url.includes(secret) || url.includes(encodeURIComponent(secret))),
      ).toEqual([]);
    }
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
    }));
    expect(stored).toEqual({ local: [], session: [] });
  });

  it('logged no Content-Security-Policy refusal or script error on any page', () => {
    expect(browser.consoleErrors.filter((text) => !/status of 4[01][0-9]/.test(text))).toEqual([]);
  });
});
