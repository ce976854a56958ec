import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activate, createIntegration } from '../support/admin-client.js';
import {
  type ConsoleBrowser,
  type ConsoleGateway,
  expectAccessible,
  launchBrowser,
  startConsoleGateway,
} from '../support/browser.js';
import { startListener } from '../support/callback-listener.js';
import { makeConfigIntegration } from '../support/rows.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

// The console with the keyboard alone (create → activate); the lockout after six wrong passwords
// typed into the integration form; paging, sorting, a failed callback and a declared integration.

let gateway: ConsoleGateway;
let browser: ConsoleBrowser;
let page: Page;

/** The accessible name of the focused element, roughly as a screen reader announces it. */
const focusedName = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const input = el as HTMLInputElement;
    return (
      el.getAttribute('aria-label') ??
      input.labels?.[0]?.textContent ??
      el.textContent ??
      ''
    ).trim();
  });

/** Presses `key` until the focused element's name matches, at most `max` times. */
async function pressUntil(key: string, name: string | RegExp, max = 40): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  for (let i = 0; i < max; i++) {
    if (matches(await focusedName(page))) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached "${name}" (at "${await focusedName(page)}")`);
}

async function signIn(username: string, password: string): Promise<void> {
  await page.goto(`${gateway.origin}/admin/`);
  await page.getByLabel('Username').waitFor();
  await pressUntil('Tab', 'Username');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

beforeAll(async () => {
  gateway = await startConsoleGateway({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1' });
  await gateway.t.createAdmin();
  await gateway.t.createAdmin('locky');
  browser = await launchBrowser(gateway.origin);
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('the console with the keyboard alone', () => {
  it('signs in, creates an integration with a resource, and activates it', async () => {
    await signIn('admin', ADMIN_PASSWORD);
    await page.getByText('No Integrations Found').waitFor();

    await pressUntil('Tab', 'Add New Integration');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New Integration' }).waitFor();
    await pressUntil('Tab', 'Name');
    await page.keyboard.type('Keyboard App');
    await pressUntil('Tab', 'Your Password');
    await page.keyboard.type(ADMIN_PASSWORD);
    await pressUntil('Shift+Tab', 'Integration Info');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tabpanel', { name: 'API' }).waitFor();
    await pressUntil('Tab', /^Dashboard/);
    await page.keyboard.press('Space');
    expect(await page.getByRole('row', { name: 'Dashboard' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await pressUntil('Tab', 'Save');
    await page.keyboard.press('Enter');
    await page.getByText("The integration 'Keyboard App' has been saved.").waitFor();

    // Into the grid with Tab, along the row with the arrow keys, as react-aria's grid works.
    await pressUntil('Tab', /^Keyboard App/);
    await pressUntil('ArrowRight', 'Activate');
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog', { name: 'Activate "Keyboard App"' }).waitFor();
    expect(await focusedName(page)).toBe('Your Password');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    const tokens = page.getByRole('dialog', { name: 'Integration Tokens for Extensions' });
    await tokens.waitFor();
    await pressUntil('Tab', 'Copy Consumer Key');
    await page.keyboard.press('Enter');
    await tokens.getByText('Copied').waitFor();
    await pressUntil('Tab', 'Done');
    await page.keyboard.press('Enter');
    await page.getByRole('row').filter({ hasText: 'Keyboard App' }).getByText('Active').waitFor();
    const rows = await gateway.t.gql(
      `{ integrations { nodes { name status resources } } }`,
      {},
      {
        token: await gateway.t.signIn(),
      },
    );
    expect(rows.data?.integrations.nodes).toEqual([
      { name: 'Keyboard App', status: 'ACTIVE', resources: ['Magento_Backend::dashboard'] },
    ]);
  });
});

describe('the lockout, from the integration form', () => {
  it('signs the admin out after the sixth wrong password and explains the wait', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.getByLabel('Username').fill('locky');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Add New Integration' }).click();
    await page.getByLabel('Name').fill('Never Saved');
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByLabel('Your Password').fill(`wrong password ${attempt}`);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('That is not your password.').waitFor();
      // The message stays from one attempt to the next: wait for the request to finish.
      await page
        .getByRole('button', { name: 'Save', exact: true })
        .and(page.locator(':not([data-disabled])'))
        .waitFor();
    }
    await page.getByLabel('Your Password').fill('wrong password 6');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('You were signed out: your account is locked').waitFor();
    await expectAccessible(page, 'sign-in after the lockout');
    expect(await browser.context.cookies(gateway.origin)).toEqual([]);

    // The right password does not help while the lock lasts.
    await page.getByLabel('Username').fill('locky');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Your account is locked after six wrong passwords/).waitFor();
    const integrations = await gateway.t.gql(
      `{ integrations { totalCount } }`,
      {},
      {
        token: await gateway.t.signIn(),
      },
    );
    expect(integrations.data?.integrations.totalCount).toBe(1);
  });
});

describe('the grid beyond one page, and the rows the console cannot change', () => {
  it('pages, sorts and filters; opens a declared integration read-only; retries a failed callback', async () => {
    const { t } = gateway;
    const token = await t.signIn();
    for (let n = 1; n <= 20; n++)
      await createIntegration(t, token, { name: `Bulk ${String(n).padStart(2, '0')}` });
    const declared = await createIntegration(t, token, { name: 'Declared One' });
    await makeConfigIntegration(t, declared.id);
    const partner = await startListener((_request, response) => {
      response.statusCode = 500;
      response.end('down');
    });
    const flaky = await createIntegration(t, token, {
      name: 'Flaky Partner',
      resourceAccess: 'ALL',
      resources: [],
      callbackUrl: partner.url('/callback'),
      identityLinkUrl: partner.url('/link'),
    });
    const refused = await activate({ t, token, gql: () => Promise.reject() }, flaky.id);
    expect(refused.errors.map((e: { code: string }) => e.code)).toEqual(['CALLBACK_FAILED']);

    await browser.context.clearCookies();
    await page.goto(`${gateway.origin}/admin/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^2[34] integrations$/).waitFor();

    // Keyset paging, 20 a page, in creation order by default.
    expect(await page.getByRole('row').filter({ hasText: 'Flaky Partner' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('row').filter({ hasText: 'Flaky Partner' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Bulk 01' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('row').filter({ hasText: 'Bulk 01' }).waitFor();

    // Sorting by name, descending on the second click.
    await page.getByRole('columnheader', { name: 'Name' }).click();
    await page.getByRole('columnheader', { name: 'Name' }).click();
    await page.locator('tbody tr').first().filter({ hasText: 'Keyboard App' }).waitFor();

    // The failed callback, shown in its row with Retry, and above the grid.
    await page.getByLabel('Filter by name').fill('flaky');
    await page.getByText('1 integration', { exact: true }).waitFor();
    const flakyRow = page.getByRole('row').filter({ hasText: 'Flaky Partner' });
    await flakyRow.getByText(/Callback failed after 1 attempt/).waitFor();
    await page.getByText('Callback delivery failed for Flaky Partner').waitFor();
    await expectAccessible(page, 'grid with a failed callback');
    partner.handler = (_request, response) => response.end('ok');
    await flakyRow.getByRole('button', { name: 'Retry' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Retry the callback of "Flaky Partner"' });
    await dialog.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    const identityPage = browser.context.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await (await identityPage).close();
    await page
      .getByRole('dialog', { name: 'Token exchange started' })
      .getByRole('button', { name: 'Close' })
      .click();
    await flakyRow.getByText('Waiting for the third party').waitFor();

    // Declared in configuration: no delete, and the form is read-only, saying why.
    await page.getByLabel('Filter by name').fill('declared');
    const declaredRow = page.getByRole('row').filter({ hasText: 'Declared One' });
    expect(
      await declaredRow.getByRole('button', { name: /Delete Declared One/ }).isDisabled(),
    ).toBe(true);
    await declaredRow.getByRole('link', { name: 'View' }).click();
    await page.getByRole('heading', { name: 'View "Declared One" Integration' }).waitFor();
    await page.getByText('This integration is declared in configuration').waitFor();
    expect(await page.getByLabel('Name').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    await expectAccessible(page, 'read-only integration');
  });
});

describe('Save & Activate', () => {
  it('saves a new integration and goes straight to its activation', async () => {
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    await page.getByRole('link', { name: 'Add New Integration' }).click();
    await page.getByLabel('Name').fill('Quick Start');
    await page.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    await page.getByRole('tab', { name: 'API' }).click();
    await page.getByRole('radio', { name: 'All' }).check({ force: true });
    await page.getByRole('button', { name: 'Save & Activate' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Activate "Quick Start"' });
    await dialog.getByText('All resources').waitFor();
    await dialog.getByLabel('Your Password').fill(ADMIN_PASSWORD);
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('dialog', { name: 'Integration Tokens for Extensions' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Filter by name').fill('quick');
    await page.getByRole('row').filter({ hasText: 'Quick Start' }).getByText('Active').waitFor();
  });
});
