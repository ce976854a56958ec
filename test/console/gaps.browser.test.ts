import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_FAILED_MESSAGE } from '../../src/graphql/top-level-errors.js';
import { createIntegration } from '../support/admin-client.js';
import {
  type ConsoleBrowser,
  type ConsoleGateway,
  expectAccessible,
  launchBrowser,
  startConsoleGateway,
} from '../support/browser.js';
import { declarationDir } from '../support/integrations-config.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

// What the other browser files leave out: configuration drift after the declaration file
// changed and the gateway restarted; RATE_LIMITED on the sign-in form, with its countdown;
// the audit log beyond one page.

const SIGN_IN_LIMIT = 3;

let gateway: ConsoleGateway;
let browser: ConsoleBrowser;
let page: Page;
let declarations: Awaited<ReturnType<typeof declarationDir>>;
let declarationFile: string;

const declared = (...names: string[]) => ({
  integrations: names.map((name) => ({
    name,
    resourceAccess: 'CUSTOM',
    resources: ['Magento_Sales::sales'],
  })),
});

async function signIn(username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const signInButton = () => page.getByRole('button', { name: 'Sign in' });

beforeAll(async () => {
  declarations = await declarationDir();
  declarationFile = await declarations.write(
    'integrations.json',
    declared('Warehouse Sync', 'Reporting Feed'),
  );
  gateway = await startConsoleGateway({
    INTEGRATIONS_CONFIG: declarationFile,
    RATE_LIMIT_SIGNIN_PER_MINUTE: String(SIGN_IN_LIMIT),
  });
  await gateway.t.createAdmin();
  browser = await launchBrowser(gateway.origin);
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await declarations?.remove();
});

describe('configuration drift', () => {
  it('names the integration no longer declared after a restart, and only that one', async () => {
    await page.goto(`${gateway.origin}/admin/`);
    await signIn('admin', ADMIN_PASSWORD);
    await page.getByText('2 integrations', { exact: true }).waitFor();
    expect(await page.getByText('Declared in configuration but no longer').count()).toBe(0);

    await declarations.write('integrations.json', declared('Warehouse Sync'));
    await gateway.restart();
    await page.reload();
    const notice = page.getByText('Declared in configuration but no longer');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(': Reporting Feed (Inactive).');
    expect(await notice.textContent()).not.toContain('Warehouse Sync');
    // Left in place, not deleted: both rows are still in the grid.
    await page.getByText('2 integrations', { exact: true }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Reporting Feed' }).waitFor();
    await expectAccessible(page, 'grid with configuration drift');
  });
});

describe('RATE_LIMITED on the sign-in form', () => {
  it('explains the wait in words, counts it down with the button disabled, then lets the admin in', async () => {
    const { t } = gateway;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    // A fresh one-minute window of the limiter with 4 s of it left (the gateway's clock).
    const at = t.clock.now.getTime();
    t.clock.advance(120_000 - (at % 60_000) - 4_000);

    for (let attempt = 1; attempt <= SIGN_IN_LIMIT; attempt++) {
      // Each attempt answered before the next (the message stays from one to the next).
      const answered = page.waitForResponse(`${gateway.origin}/graphql`);
      await signIn('nobody', `wrong ${attempt}`);
      await answered;
      await page.getByText(SIGN_IN_FAILED_MESSAGE).waitFor();
      await signInButton().and(page.locator(':not([disabled])')).waitFor();
    }
    expect(await page.getByText(/Too many attempts/).count()).toBe(0);

    await signIn('admin', ADMIN_PASSWORD);
    await page
      .getByText('Too many attempts from your address. Wait 4 seconds, then try again.')
      .waitFor();
    await page.getByText(/^You can try again in [1-4] s\.$/).waitFor();
    expect(await signInButton().isDisabled()).toBe(true);
    await expectAccessible(page, 'sign-in rate limited');
    // The countdown runs down to 1 s, then goes and the button comes back.
    await page.getByText('You can try again in 1 s.').waitFor();
    await signInButton().and(page.locator(':not([disabled])')).waitFor();
    expect(await page.getByText(/You can try again in/).count()).toBe(0);
    expect(await browser.context.cookies(gateway.origin)).toEqual([]);

    // The window is over: the right password lets the admin in.
    t.clock.advance(4_000);
    await signIn('admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
  });
});

describe('the audit log beyond one page', () => {
  it('pages to older entries and back, with Newer and Older enabled as they apply', async () => {
    const { t } = gateway;
    const token = await t.signIn();
    for (let n = 1; n <= 30; n++)
      await createIntegration(t, token, { name: `Audited ${String(n).padStart(2, '0')}` });
    const total = await t.gql<{ auditLog: { totalCount: number } }>(
      '{ auditLog(first: 1) { totalCount } }',
      {},
      { token },
    );
    const totalCount = total.data?.auditLog.totalCount ?? 0;
    // More than one page of 25, fewer than two.
    expect(totalCount).toBeGreaterThan(25);
    expect(totalCount).toBeLessThanOrEqual(50);

    await page.getByRole('link', { name: 'Audit Log' }).click();
    await page.getByRole('heading', { name: 'Audit Log', level: 1 }).waitFor();
    await page.getByText(`${totalCount} entries`).waitFor();
    const newer = page.getByRole('button', { name: 'Newer' });
    const older = page.getByRole('button', { name: 'Older' });
    const rows = page.getByRole('grid', { name: 'Audit log' }).locator('tbody tr');
    const rowTexts = async () => (await rows.allTextContents()).map((text) => text.trim());

    await rows.filter({ hasText: 'Audited 30' }).waitFor();
    const first = await rowTexts();
    expect(first).toHaveLength(25);
    expect(await newer.isDisabled()).toBe(true);
    expect(await older.isDisabled()).toBe(false);

    await older.click();
    await rows.filter({ hasText: 'Audited 01' }).waitFor();
    const second = await rowTexts();
    expect(second).toHaveLength(totalCount - 25);
    expect(second.filter((text) => first.includes(text))).toEqual([]);
    expect(await newer.isDisabled()).toBe(false);
    expect(await older.isDisabled()).toBe(true);
    await expectAccessible(page, 'audit log, second page');

    await newer.click();
    await rows.filter({ hasText: 'Audited 30' }).waitFor();
    expect(await rowTexts()).toEqual(first);
    expect(await newer.isDisabled()).toBe(true);
    expect(await older.isDisabled()).toBe(false);
  });
});
