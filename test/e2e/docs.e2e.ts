import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, freePort, pageChecks, startDemo, type RunningDemo } from './harness.js';

/**
 * The demo's API reference in Chromium: `GET /docs` renders the OpenAPI document of the auth mount with
 * Redoc, served from npm by the demo itself (no CDN), under the page's own CSP. In single-group mode it
 * reads `/auth/openapi.json`; in multi-group mode (`GROUPS=1`) the root group's
 * `/auth/default/openapi.json`. Each walk checks that Redoc rendered the operations' headings, that
 * nothing was refused by the CSP or failed in the page, and that no request left the demo's origin.
 * Screenshots go to test-results/e2e-docs/.
 */

const SHOTS = join(ROOT, 'test-results', 'e2e-docs');

let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
});

const MODES: Array<{ name: string; mode: string; env: NodeJS.ProcessEnv; document: string }> = [
  { name: 'single', mode: 'single-group', env: {}, document: '/auth/openapi.json' },
  { name: 'groups', mode: 'multi-group (GROUPS=1)', env: { GROUPS: '1' }, document: '/auth/default/openapi.json' },
];

for (const { name, mode, env, document } of MODES) {
  describe(`the API reference at /docs, ${mode}`, () => {
    let demo: RunningDemo | undefined;

    afterAll(async () => {
      await demo?.stop();
    });

    it(`renders ${document} with Redoc from the demo's own files, nothing refused by its CSP`, async () => {
      const port = await freePort();
      const base = `http://localhost:${port}`;
      demo = await startDemo(port, { DATABASE_URL: 'memory:', ...env });
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      const requested: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) consoleErrors.push(message.text());
      });
      page.on('request', (request) => requested.push(request.url()));
      const { step } = pageChecks(page, { shots: SHOTS, serverLog: () => demo!.log(), pageErrors });
      try {
        await step('open /docs: the page, Redoc and the document', async () => {
          const loaded = page.waitForResponse((response) => new URL(response.url()).pathname === document);
          const response = await page.goto(`${base}/docs`);
          expect(response?.status()).toBe(200);
          expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
          const answer = await loaded;
          // Until the route exists this is where the walk stops, with the page saying so.
          expect(answer.status(), `GET ${document}; the page says: ${await page.textContent('#docs-status')}`).toBe(200);
        });

        await step('Redoc renders the operations, and nothing was refused', async () => {
          // Redoc's operation headings (h2) in its middle panel: at least sign-in and the account.
          await page.locator('#redoc h2').first().waitFor({ state: 'visible' });
          const headings = await page.locator('#redoc h2').allTextContents();
          expect(headings.length).toBeGreaterThan(10);
          expect(headings.join('\n')).toMatch(/log ?in|sign ?in/i);
          expect(await page.isVisible('#docs-status')).toBe(false);
          await page.screenshot({ path: join(SHOTS, `docs-${name}.png`) });
          expect(consoleErrors).toEqual([]);
          expect(pageErrors).toEqual([]);
          const origin = new URL(base).origin;
          expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
          expect(requested.map((url) => new URL(url).pathname)).toContain('/docs/redoc.standalone.js');
        });
      } finally {
        await context.close();
      }
    });
  });
}
