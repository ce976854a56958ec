import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleBrowser,
  type ConsoleGateway,
  expectAccessible,
  launchBrowser,
  startConsoleGateway,
} from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

// The console with the keyboard alone (create → activate), and the lockout after six wrong
// passwords typed into the integration form.

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
  gateway = await startConsoleGateway();
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
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('That is not your password.').waitFor();
      // The message stays from one attempt to the next: wait for the request to finish.
      await page
        .getByRole('button', { name: 'Save' })
        .and(page.locator(':not([data-disabled])'))
        .waitFor();
    }
    await page.getByLabel('Your Password').fill('wrong password 6');
    await page.getByRole('button', { name: 'Save' }).click();
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
