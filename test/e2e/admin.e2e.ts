import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, STEP_TIMEOUT, expectFitsPhone, freePort, pageChecks, startDemo, type RunningDemo } from './harness.js';

/**
 * The demo's admin page in Chromium: the demo on a throwaway SQLite file (so that the command line can
 * grant the admin role, as the README says), a user made admin with `latchkey grant-role` and the page
 * reloaded, then search with paging, lock and unlock, a name change, a support session acted in and
 * ended, a hard delete behind its confirm step, the audit log, an import with a bad row, webhooks (an
 * endpoint for a receiver of the test's own, its secret shown once, a test event delivered and
 * verified with it, rotation, disabling, deletion), the page at a phone's 390 px, and a non-admin who
 * sees none of it. Screenshots go to test-results/e2e-admin/.
 */

const SHOTS = join(ROOT, 'test-results', 'e2e-admin');
const run = promisify(execFile);

const tag = randomBytes(4).toString('hex');
const password = 'correct horse battery staple';
const adminEmail = `grace.${tag}@example.com`;
/** Allows support sign-in: the one the support session is opened for. */
const bobEmail = `bob.${tag}@example.com`;
/** Enough accounts sharing a prefix for two pages of five. */
const fillers = Array.from({ length: 6 }, (_, i) => `pg${tag}.${i + 1}@example.com`);

let demo: RunningDemo;
let dbFile = '';
let tmp = '';
let base = '';
let api = '';
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const serverErrors: string[] = [];
let checks: ReturnType<typeof pageChecks>;
/** The webhook receiver (the demo, in development, may deliver to this machine) and what it was sent. */
let receiver: Server | undefined;
let hookUrl = '';
const hooks: Array<{ body: string; headers: IncomingHttpHeaders }> = [];

/** A call of the test's own to the demo's API (127.0.0.1: the server listens there only). */
async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${api}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function register(email: string, first: string): Promise<void> {
  const { status } = await call('POST', '/auth/accounts', { email, password, name: { first, last: 'Example' } });
  expect(status).toBe(201);
}

async function login(email: string): Promise<{ status: number; token: string }> {
  const { status, json } = await call('POST', '/auth/login', { email, password });
  return { status, token: json?.accessToken ?? '' };
}

function watch(target: Page): void {
  target.setDefaultTimeout(STEP_TIMEOUT);
  target.on('pageerror', (error) => pageErrors.push(error.message));
  target.on('response', (response) => {
    if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
}

async function signIn(target: Page, email: string): Promise<void> {
  await target.goto(`${base}/#/sign-in`);
  await target.locator('[data-view="sign-in"]').waitFor({ state: 'visible' });
  await target.fill('#sign-in-email', email);
  await target.fill('#sign-in-password', password);
  await target.click('#sign-in-form button[type=submit]');
  await target.locator('[data-view="account"]').waitFor({ state: 'visible' });
}

/** The account with `email` in the results: opened, and its panel shown. */
async function openAccount(email: string): Promise<void> {
  await page.fill('#admin-q', email);
  await page.click('#admin-search-form button[type=submit]');
  const item = page.locator('#admin-results li', { hasText: email });
  await item.waitFor();
  await item.locator('button:has-text("Open")').click();
  await expect.poll(() => page.textContent('#admin-account-title')).toBe(email);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  tmp = await mkdtemp(join(tmpdir(), 'latchkey-admin-e2e-'));
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      hooks.push({ body, headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => receiver!.listen(0, '127.0.0.1', done));
  // Long enough to have to wrap on a phone.
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/latchkey-demo/receiver-with-a-rather-long-path/${tag}`;
  dbFile = join(tmp, 'latchkey.sqlite');

  const port = await freePort();
  base = `http://localhost:${port}`;
  api = `http://127.0.0.1:${port}`;
  // A secret of the test's own, so that nothing is written under the checkout's .latchkey/.
  demo = await startDemo(port, { DATABASE_URL: `sqlite:${dbFile}`, LATCHKEY_SECRET: randomBytes(32).toString('base64url') });

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  watch(page);
  checks = pageChecks(page, { shots: SHOTS, serverLog: () => demo.log(), pageErrors });

  await register(bobEmail, 'Bob');
  for (const [i, email] of fillers.entries()) await register(email, `Filler${i + 1}`);
  // Bob lets support staff in on his account page, in the first test.
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await demo?.stop();
  await new Promise<void>((done) => (receiver ? receiver.close(() => done()) : done()));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the demo admin page in Chromium', () => {
  it('is not there for a non-admin, whom the server refuses anyway', async () => {
    const other = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const bobPage = await other.newPage();
    watch(bobPage);
    const bobChecks = pageChecks(bobPage, { shots: SHOTS, serverLog: () => demo.log(), pageErrors });
    try {
      await bobChecks.step('a user allows support sessions on the account page', async () => {
        await signIn(bobPage, bobEmail);
        expect(await bobPage.isChecked('#profile-support')).toBe(false);
        // The help text says what the toggle allows: a 15-minute support session opened by an administrator.
        expect(await bobPage.textContent('#profile-support-hint')).toMatch(/administrator .*15-minute support session/);
        await bobPage.check('#profile-support');
        await bobPage.click('#profile-form button[type=submit]');
        await bobChecks.expectAnnounced(/^Profile saved\.$/);
        const { token } = await login(bobEmail);
        expect((await call('GET', '/auth/account', undefined, token)).json.allowSupportLogin).toBe(true);
        // (The support session itself is opened from Grace's admin page in the next test.)
      });

      await bobChecks.step('a non-admin sees no admin page', async () => {
        expect(await bobPage.isVisible('#nav-admin')).toBe(false);
        await bobPage.goto(`${base}/#/admin`);
        await bobChecks.expectView('account', /account$/);
        await expect.poll(() => bobPage.textContent('#announcer-text')).toMatch(/admin page is for accounts with the admin role/);
        expect(await bobPage.isVisible('[data-view="admin"]')).toBe(false);
        const { token } = await login(bobEmail);
        const refused = await call('GET', '/auth/accounts', undefined, token);
        expect(refused.status).toBe(403);
        expect(refused.json.error.code).toBe('forbidden');
      });
    } finally {
      await other.close();
    }
  });

  it('searches, locks and unlocks, renames, opens a support session, deletes, and shows the audit log', async () => {
    const { step, expectView, expectAnnounced, expectFormError, shot } = checks;

    await step('sign up and sign in, not an admin yet', async () => {
      await page.goto(`${base}/#/sign-up`);
      await expectView('sign-up', 'Create an account');
      await page.fill('#sign-up-first', 'Grace');
      await page.fill('#sign-up-email', adminEmail);
      await page.fill('#sign-up-password', password);
      await page.click('#sign-up-form button[type=submit]');
      await expectView('verify-email', 'Verify your email address');
      await signIn(page, adminEmail);
      await expectView('account', 'Grace’s account');
      expect(await page.isVisible('#nav-admin')).toBe(false);
    });

    await step('grant the admin role from the command line, reload, and find the admin page', async () => {
      const { stdout } = await run(process.execPath, ['bin/latchkey.mjs', 'grant-role', '--url', `sqlite:${dbFile}`, '--email', adminEmail, '--role', 'admin'], { cwd: ROOT });
      expect(stdout).toContain(`Granted the role "admin" to ${adminEmail}`);
      await page.reload();
      await expectView('account', 'Grace’s account');
      await page.locator('#nav-admin').waitFor({ state: 'visible' });
      await page.click('#nav-admin');
      await expectView('admin', 'Administration');
      await page.locator('#admin-results li').first().waitFor();
    });

    await step('search, and page through the results', async () => {
      await page.fill('#admin-q', `pg${tag}`);
      await page.selectOption('#admin-order', 'email');
      await page.selectOption('#admin-limit', '5');
      await page.click('#admin-search-form button[type=submit]');
      await expect.poll(() => page.textContent('#admin-results-summary')).toBe('Page 1: 5 accounts.');
      expect(await page.locator('#admin-results li .email-text').allTextContents()).toEqual(fillers.slice(0, 5));
      await page.click('#admin-next');
      await expect.poll(() => page.textContent('#admin-results-summary')).toBe('Page 2: 1 account.');
      expect(await page.locator('#admin-results li .email-text').allTextContents()).toEqual(fillers.slice(5));
      expect(await page.isVisible('#admin-next')).toBe(false);
      await page.click('#admin-first');
      await expect.poll(() => page.textContent('#admin-results-summary')).toBe('Page 1: 5 accounts.');
      await page.fill('#admin-q', bobEmail);
      await page.click('#admin-search-form button[type=submit]');
      await expect.poll(() => page.textContent('#admin-results-summary')).toBe('1 account found.');
      await shot('01-admin-search');
    });

    await step('lock and unlock an account', async () => {
      await openAccount(bobEmail);
      await page.click('#admin-lock');
      await expectAnnounced(new RegExp(`Locked ${bobEmail}`));
      await expect.poll(() => page.textContent('#admin-account-badges')).toMatch(/^locked/);
      expect((await login(bobEmail)).status).toBe(423);
      await page.click('#admin-unlock');
      await expectAnnounced(new RegExp(`Unlocked ${bobEmail}`));
      await expect.poll(() => page.textContent('#admin-account-badges')).toMatch(/^active/);
      expect((await login(bobEmail)).status).toBe(200);
    });

    await step('change the name', async () => {
      await page.fill('#admin-edit-first', 'Robert');
      await page.fill('#admin-edit-last', 'Tables');
      await page.click('#admin-edit-form button[type=submit]');
      await expectAnnounced(new RegExp(`Saved ${bobEmail}`));
      await expect.poll(() => page.textContent('#admin-account-facts')).toContain('Robert Tables');
      await expect.poll(() => page.textContent('#admin-results')).toContain('Robert Tables');
    });

    await step('a support session is refused for an account that did not allow it', async () => {
      await openAccount(fillers[0]!);
      expect(await page.textContent('#admin-support-text')).toMatch(/has not allowed support sign-in/);
      await page.click('#admin-support-open');
      await expectFormError('#admin-support-form', /support/i);
      // The server's message, shown once: in the form, not in the banner as well.
      const message = (await page.textContent('#admin-support-form .form-error'))?.trim() ?? '';
      expect(await page.textContent('#announcer-text')).not.toContain(message);
      expect(await page.locator(`text=${message}`).count()).toBe(1);
      expect(await page.isVisible('#admin-support-opened')).toBe(false);
    });

    await step('open a support session, act as the user, and end it', async () => {
      const ownRefresh = await page.evaluate(() => sessionStorage.getItem('latchkey-demo.refresh-token'));
      expect(ownRefresh).toBeTruthy();
      await openAccount(bobEmail);
      await page.click('#admin-support-open');
      await page.locator('#admin-support-opened').waitFor({ state: 'visible' });
      expect(await page.textContent('#admin-support-opened-text')).toMatch(new RegExp(`Support session opened for ${bobEmail}, until .*act\\.sub acc_`));
      await shot('02-support-opened');
      await page.click('#admin-support-act');
      await page.locator('#support-banner').waitFor({ state: 'visible' });
      expect((await page.textContent('#support-banner'))?.replace(/\s+/g, ' ')).toMatch(new RegExp(`Support session for ${bobEmail} \\(until .*\\) — End`));
      await expectView('account', 'Robert’s account');
      await expect.poll(() => page.textContent('#account-email')).toBe(bobEmail);
      expect(await page.isVisible('#nav-admin')).toBe(false);
      // The admin's own session is where it was: not replaced by the support token.
      expect(await page.evaluate(() => sessionStorage.getItem('latchkey-demo.refresh-token'))).toBe(ownRefresh);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => window.scrollTo(0, 0));
      expect(await page.isVisible('#support-banner')).toBe(true);
      await expectFitsPhone(page);
      await shot('03-acting-as-user');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.click('#support-end');
      await expectView('admin', 'Administration');
      await expectAnnounced(new RegExp(`You ended the support session for ${bobEmail}`));
      expect(await page.isVisible('#support-banner')).toBe(false);
      expect(await page.evaluate(() => sessionStorage.getItem('latchkey-demo.refresh-token'))).toBe(ownRefresh);
      await page.locator('#nav-admin').waitFor({ state: 'visible' });
    });

    await step('the admin page fits a 390 px wide phone', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await openAccount(bobEmail);
      await page.fill('#admin-q', `pg${tag}`);
      await page.click('#admin-search-form button[type=submit]');
      await expect.poll(() => page.locator('#admin-results li').count()).toBe(5);
      await expectFitsPhone(page);
      await shot('04-admin-phone', true);
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await step('delete an account, after its confirm step', async () => {
      await openAccount(bobEmail);
      await page.click('#admin-delete-start');
      await page.locator('#admin-delete-confirm').waitFor({ state: 'visible' });
      expect(await page.textContent('#admin-delete-confirm-text')).toBe(`Delete ${bobEmail} for good? This cannot be undone.`);
      await page.click('#admin-delete-cancel');
      expect(await page.isVisible('#admin-delete-confirm')).toBe(false);
      await page.click('#admin-delete-start');
      await page.click('#admin-delete-confirm button[type=submit]');
      await expectAnnounced(new RegExp(`Deleted ${bobEmail} for good`));
      expect(await page.isVisible('#admin-account')).toBe(false);
      await page.fill('#admin-q', bobEmail);
      await page.click('#admin-search-form button[type=submit]');
      await expect.poll(() => page.textContent('#admin-results-summary')).toBe('No account matches.');
      expect((await login(bobEmail)).status).toBe(401);
    });

    await step('the audit log shows what was done', async () => {
      await page.click('#admin-audit-refresh');
      const actions = () => page.$$eval('#admin-audit-body tr', (rows) => rows.map((row) => row.getAttribute('data-action')));
      // What this page did. (Not the command line's role.grant: `latchkey grant-role` writes no entry yet,
      // though docs/http-api.md says it does.)
      const done = ['account.lock', 'account.unlock', 'account.update', 'support-session.start', 'account.delete'];
      await expect.poll(actions).toEqual(expect.arrayContaining(done));
      expect(await page.textContent('#admin-audit-body')).toContain('you');
      await shot('05-audit-log');
    });

    expect(pageErrors).toEqual([]);
    expect(serverErrors).toEqual([]);
  });

  // POST /auth/accounts/import (docs: api.md "Administration"); its own test, so that the rest does not
  // wait for it.
  it('imports rows, showing how many went in and each row that failed with its reason', async () => {
    const { step, expectView, shot } = checks;
    await step('import two good rows and one that is already registered', async () => {
      // Whatever the test before left behind.
      await page.setViewportSize({ width: 1280, height: 900 });
      if (await page.isVisible('#support-banner')) await page.click('#support-end');
      await page.goto(`${base}/#/admin`);
      await expectView('admin', 'Administration');
      const rows = ['email,first,last', `imp1.${tag}@example.com,Ida,One`, `imp2.${tag}@example.com,Ian,Two`, `${adminEmail},Grace,Again`];
      await page.fill('#admin-import-rows', rows.join('\n'));
      await page.click('#admin-import-form button[type=submit]');
      await page.locator('#admin-import-result').waitFor({ state: 'visible' });
      expect(await page.textContent('#admin-import-summary')).toBe('Imported 2 of 3 rows; 1 failed.');
      const failed = page.locator('#admin-import-failed li');
      expect(await failed.count()).toBe(1);
      expect(await failed.first().textContent()).toMatch(new RegExp(`^row 3 ${adminEmail.replace('.', '\\.')}: .+`));
      expect(await page.locator('#admin-import-ok li').allTextContents()).toEqual([`imported imp1.${tag}@example.com`, `imported imp2.${tag}@example.com`]);
      await shot('06-import');
    });
    expect(pageErrors).toEqual([]);
    expect(serverErrors).toEqual([]);
  });

  // The Webhooks section (api.md, "Webhook endpoints and the event feed"), against a receiver of the test's own.
  it('adds a webhook endpoint, shows its secret once, delivers a test event, rotates, disables and deletes it', async () => {
    const { step, expectView, expectAnnounced, shot } = checks;
    const endpoint = () => page.locator('#admin-webhook-list li', { hasText: hookUrl });
    let secret = '';

    await step('add an endpoint: its secret is shown once, with the note to copy it now', async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      if (await page.isVisible('#support-banner')) await page.click('#support-end');
      await page.goto(`${base}/#/admin`);
      await expectView('admin', 'Administration');
      await expect.poll(() => page.textContent('#admin-webhook-list')).toContain('No endpoints yet.');
      await page.fill('#admin-webhook-url', 'http://169.254.169.254/latest/meta-data');
      await page.click('#admin-webhook-form button[type=submit]');
      await checks.expectFormError('#admin-webhook-form', /not valid/);
      expect(await page.textContent('#admin-webhook-form')).toMatch(/cloud metadata address/);
      await page.fill('#admin-webhook-url', hookUrl);
      await page.fill('#admin-webhook-description', 'The e2e receiver');
      await page.click('#admin-webhook-form button[type=submit]');
      await page.locator('#admin-webhook-secret-panel').waitFor({ state: 'visible' });
      secret = (await page.textContent('#admin-webhook-secret'))?.trim() ?? '';
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
      expect(await page.textContent('#admin-webhook-secret-panel')).toMatch(/Copy it now: it is shown only this once/);
      await endpoint().waitFor();
      expect(await endpoint().textContent()).toMatch(/Every event.*The e2e receiver.*enabled/);
      expect(await page.inputValue('#admin-webhook-url')).toBe('');
      await shot('07-webhook-secret');
      await page.click('#admin-webhook-secret-done');
      expect(await page.isVisible('#admin-webhook-secret-panel')).toBe(false);
      expect(await page.evaluate((text) => document.body.innerHTML.includes(text), secret)).toBe(false);
    });

    await step('send a test event: its delivery is listed as delivered, and the receiver verifies it with the secret', async () => {
      await endpoint().locator('button:has-text("Send a test event")').click();
      await expectAnnounced(/Sent a test event to/);
      await page.locator('#admin-webhook-deliveries').waitFor({ state: 'visible' });
      expect(await page.textContent('#admin-webhook-deliveries-url')).toBe(hookUrl);
      const delivery = page.locator('#admin-webhook-delivery-list li[data-event="webhook.test"]');
      await expect.poll(() => delivery.getAttribute('data-status'), { timeout: STEP_TIMEOUT }).toBe('delivered');
      expect(await delivery.textContent()).toMatch(/webhook\.test\s*delivered.*1 attempt · answered 204/);
      const sent = hooks.find(({ body }) => body.includes('"webhook.test"'));
      expect(sent).toBeDefined();
      expect(new Webhook(secret).verify(sent!.body, sent!.headers as Record<string, string>)).toMatchObject({ event: 'webhook.test' });
      await shot('08-webhook-delivered');
    });

    await step('rotate the secret (shown once), disable and enable the endpoint', async () => {
      await endpoint().locator('button:has-text("Rotate the secret")').click();
      await page.locator('#admin-webhook-secret-panel').waitFor({ state: 'visible' });
      const rotated = (await page.textContent('#admin-webhook-secret'))?.trim() ?? '';
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      expect(await page.textContent('#admin-webhook-secret-title')).toBe(`New signing secret for ${hookUrl}`);
      expect(await page.textContent('#admin-webhook-secret-note')).toMatch(/shown only this once.*previous secret keeps signing too for 24 hours/);
      await page.click('#admin-webhook-secret-done');
      await endpoint().locator('button:has-text("Disable")').click();
      await expectAnnounced(/Disabled http/);
      await expect.poll(() => endpoint().locator('.badge').textContent()).toBe('disabled');
      await endpoint().locator('button:has-text("Enable")').click();
      await expectAnnounced(/Enabled http/);
      await expect.poll(() => endpoint().locator('.badge').textContent()).toBe('enabled');
    });

    await step('the Webhooks section fits a 390 px wide phone, with a secret shown and the deliveries open', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await endpoint().locator('button:has-text("Rotate the secret")').click();
      await page.locator('#admin-webhook-secret-panel').waitFor({ state: 'visible' });
      await endpoint().locator('button:has-text("Deliveries")').click();
      await page.locator('#admin-webhook-delivery-list li[data-status="delivered"]').waitFor();
      await expectFitsPhone(page);
      await page.locator('#admin-webhooks').screenshot({ path: join(SHOTS, '09-webhooks-phone.png') });
      await page.click('#admin-webhook-secret-done');
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await step('delete the endpoint, after its confirm step; the audit log names what was done', async () => {
      await endpoint().locator('button:has-text("Delete…")').click();
      await endpoint().locator('.confirm').waitFor({ state: 'visible' });
      await endpoint().locator('button:has-text("Cancel")').click();
      expect(await endpoint().locator('.confirm').isVisible()).toBe(false);
      await endpoint().locator('button:has-text("Delete…")').click();
      await endpoint().locator('button:has-text("Yes, delete it")').click();
      await expectAnnounced(/Deleted the endpoint/);
      await expect.poll(() => page.textContent('#admin-webhook-list')).toContain('No endpoints yet.');
      expect(await page.isVisible('#admin-webhook-deliveries')).toBe(false);
      const actions = () => page.$$eval('#admin-audit-body tr', (rows) => rows.map((row) => row.getAttribute('data-action')));
      await expect
        .poll(actions)
        .toEqual(expect.arrayContaining(['webhook.create', 'webhook.test', 'webhook.rotate-secret', 'webhook.update', 'webhook.delete']));
    });

    expect(pageErrors).toEqual([]);
    expect(serverErrors).toEqual([]);
  });
});
