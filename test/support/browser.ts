import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createApp } from '../../src/app.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import type { RunningServer } from '../../src/http/server.js';
import { applyIntegrationsConfig } from '../../src/integrations/config-declarations.js';
import { freePort } from './free-port.js';
import { serve } from './raw-http.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from './test-app.js';
import { TlsProxy } from './tls-proxy.js';

// The admin console in a real browser: Debian's Chromium driven by playwright-core, against the
// gateway behind HAProxy terminating TLS (production configuration, an https public origin, so
// the session cookie is `__Host-`, Secure, HttpOnly, SameSite=Strict as in production).

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The proxy's certificate is self-signed, made for this run.
  '--ignore-certificate-errors',
];
const SCREENSHOTS = join(process.cwd(), 'test/console/screenshots');

export interface ConsoleGateway {
  t: TestApp;
  /** The public origin: https://127.0.0.1:<port> (HAProxy), what the browser opens. */
  origin: string;
  proxy: TlsProxy;
  /**
   * Stops the app and starts a new one over the same database, clock and backend port, reading
   * INTEGRATIONS_CONFIG again: a gateway restarted after its declaration file changed.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh test app behind the real HTTP front and HAProxy, its public origin the proxy's. With
 * INTEGRATIONS_CONFIG in `env`, the file is synced and its names declared, as src/gateway.ts
 * does at startup.
 */
export async function startConsoleGateway(
  env: Record<string, string> = {},
): Promise<ConsoleGateway> {
  const port = await freePort();
  const origin = `https://127.0.0.1:${port}`;
  const t = await createTestApp({
    PUBLIC_BASE_URL: origin,
    TRUSTED_PROXIES: '127.0.0.1/32',
    ...env,
  });
  const backendPort = await freePort();
  const start = async (): Promise<RunningServer> => {
    if (!t.config.integrationsConfig) return serve(t, t.app, backendPort);
    const secretBox = new SecretBox(TEST_ENCRYPTION_KEY);
    const { declaredNames } = await applyIntegrationsConfig(t.config, t.database.db, secretBox);
    const app = createApp({
      config: t.config,
      database: t.database,
      logger: t.logs.logger,
      secretBox,
      declaredIntegrationNames: declaredNames,
      now: () => t.clock.now,
    });
    return serve(t, app, backendPort);
  };
  let running = await start();
  const proxy = await TlsProxy.start(port, backendPort);
  return {
    t,
    origin,
    proxy,
    async restart() {
      await running.close(1_000);
      running = await start();
    },
    async close() {
      await proxy.stop();
      await running.close(1_000);
    },
  };
}

export interface ConsoleBrowser {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors (a Content-Security-Policy refusal among them). */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh profile; clipboard access granted for `origin`. */
export async function launchBrowser(origin: string): Promise<ConsoleBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'ig-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  // Which element or file a Content-Security-Policy refusal came from, in the same list.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const target = event.target instanceof Element ? event.target.outerHTML.slice(0, 300) : '';
      console.error(
        `CSP refused (${event.violatedDirective}) ${event.sourceFile}:${event.lineNumber} ${target}`,
      );
    });
  });
  return {
    context,
    page,
    consoleErrors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The page passes an axe-core scan with no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  // Every finding, minor and moderate ones too, kept beside the screenshots for review.
  await mkdir(SCREENSHOTS, { recursive: true });
  const findings = results.violations.map(({ id, impact, nodes }) => ({
    id,
    impact,
    nodes: nodes.length,
  }));
  await writeFile(
    join(SCREENSHOTS, `axe-${what.replaceAll(/[^a-z0-9]+/gi, '-')}.json`),
    `${JSON.stringify({ page: what, passes: results.passes.length, violations: findings }, null, 2)}\n`,
  );
  const severe = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5),
    }));
  expect(severe, `axe violations on ${what}`).toEqual([]);
}

/** Keeps a screenshot of the page as test/console/screenshots/<name>.png (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Reads what the console put on the clipboard. */
export function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}
