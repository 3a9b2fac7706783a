import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, STEP_TIMEOUT, freePort, pageChecks, startDemo, type RunningDemo } from './harness.js';

/**
 * The demo web app in multi-group mode (`GROUPS=1 npm start`) in Chromium, on a throwaway SQLite file so
 * that `latchkey grant-role` can make the root group's admin, who creates the group `acme` (with an
 * owner) over HTTP. The page opened at `/?group=acme` calls acme's routes: sign up, verify with the
 * mail's link (`#group=acme&token=…`), sign in, the account page in acme. Switched to `default` with the
 * header's form, the same address signs up as another account, and acme's session is still there on
 * the way back. acme's owner sets a first password with the claim mail's link. Screenshots go to
 * test-results/e2e-groups/.
 */

const SHOTS = join(ROOT, 'test-results', 'e2e-groups');
const run = promisify(execFile);

const tag = randomBytes(4).toString('hex');
const password = 'correct horse battery staple';
const rootEmail = `root.${tag}@example.com`;
const email = `ada.${tag}@example.com`;
const ownerEmail = `owner.${tag}@example.com`;

let demo: RunningDemo;
let tmp = '';
let base = '';
let api = '';
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
const serverErrors: string[] = [];
/** The paths of every call the pages made to latchkey and to the app's own route. */
const calledPaths: string[] = [];
let checks: ReturnType<typeof pageChecks>;

/** A call of the test's own to the demo's API (127.0.0.1: the server listens there only). */
async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${api}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** The link of the newest mail to `to` whose subject matches, from `GET /dev/outbox`. */
async function mailLink(to: string, subject: RegExp): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = (await call('GET', '/dev/outbox')).json as Array<{ to: string; subject: string; text: string }>;
    const link = mails.filter((m) => m.to === to && subject.test(m.subject)).at(-1)?.text.match(/^(http\S+#group=\S+)$/m)?.[1];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} in the outbox`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function watch(target: Page): void {
  target.setDefaultTimeout(STEP_TIMEOUT);
  target.on('pageerror', (error) => pageErrors.push(error.message));
  target.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/auth/') || path.startsWith('/api/')) calledPaths.push(path);
  });
  target.on('response', (response) => {
    if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
}

/** Signs up in the page's group and verifies with the mail's link, which must name `group`. */
async function signUpAndVerify(group: string): Promise<void> {
  const { expectView, expectAnnounced } = checks;
  await page.click('#nav-signed-out a[href="#/sign-up"]');
  await expectView('sign-up', 'Create an account');
  await page.fill('#sign-up-first', 'Ada');
  await page.fill('#sign-up-email', email);
  await page.fill('#sign-up-password', password);
  await page.click('#sign-up-form button[type=submit]');
  await expectView('verify-email', 'Verify your email address');
  const link = await mailLink(email, /Confirm your email/);
  expect(link).toMatch(new RegExp(`/verify-email#group=${group}&token=[A-Za-z0-9_-]{43}$`));
  await page.goto(link);
  await expectView('verify-email', 'Verify your email address');
  // The page took the token (and the group) out of the address bar.
  expect(new URL(page.url()).hash).toBe('#/verify-email');
  expect(await page.inputValue('#verify-email-token')).toBe(link.split('token=')[1]);
  expect(await page.textContent('#group-name')).toBe(group);
  await page.click('#verify-email-form button[type=submit]');
  await expectView('sign-in', 'Sign in');
  await expectAnnounced(/Your email address is verified/);
}

async function signIn(who: string): Promise<void> {
  await page.fill('#sign-in-email', who);
  await page.fill('#sign-in-password', password);
  await page.click('#sign-in-form button[type=submit]');
  await checks.expectView('account', /account$/);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  tmp = await mkdtemp(join(tmpdir(), 'latchkey-groups-e2e-'));
  const dbFile = join(tmp, 'latchkey.sqlite');

  const port = await freePort();
  base = `http://localhost:${port}`;
  api = `http://127.0.0.1:${port}`;
  demo = await startDemo(port, { GROUPS: '1', DATABASE_URL: `sqlite:${dbFile}`, LATCHKEY_SECRET: randomBytes(32).toString('base64url') });

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  watch(page);
  checks = pageChecks(page, { shots: SHOTS, serverLog: () => demo.log(), pageErrors });

  // The root group's first admin, made as the README says, creates acme with an owner.
  expect((await call('POST', '/auth/default/accounts', { email: rootEmail, password })).status).toBe(201);
  const { stdout } = await run(
    process.execPath,
    ['bin/latchkey.mjs', 'grant-role', '--url', `sqlite:${dbFile}`, '--group', 'default', '--email', rootEmail, '--role', 'admin'],
    { cwd: ROOT },
  );
  expect(stdout).toContain(`Granted the role "admin" to ${rootEmail}`);
  const root = await call('POST', '/auth/default/login', { email: rootEmail, password });
  expect(root.status).toBe(200);
  const created = await call('POST', '/auth/default/groups', { id: 'acme', name: 'Acme', ownerEmail }, root.json.accessToken);
  expect(created.status, JSON.stringify(created.json)).toBe(201);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await demo?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the demo web app in multi-group mode, in Chromium', () => {
  it('signs up, verifies and signs in in the group the URL names; the same address in default is another account', async () => {
    const { step, expectView, expectFormError, shot } = checks;

    await step('open the page in acme', async () => {
      await page.goto(`${base}/?group=acme`);
      await expectView('sign-in', 'Sign in');
      expect(await page.isVisible('#group-bar')).toBe(true);
      expect(await page.textContent('#group-name')).toBe('acme');
    });

    await step('sign up in acme and verify with the mail’s link', () => signUpAndVerify('acme'));

    await step('sign in: the account page, in acme', async () => {
      await signIn(email);
      await expect.poll(() => page.textContent('#account-group')).toBe('acme');
      expect(await page.isVisible('#account-group')).toBe(true);
      await expect.poll(() => page.textContent('#me-message')).toMatch(/^GET \/api\/acme\/me, .*Hello Ada/);
      await shot('01-account-in-acme');
    });

    await step('an unknown group is refused by the header’s form', async () => {
      await page.fill('#group-input', `nope-${tag}`);
      await page.click('#group-form button[type=submit]');
      await expectFormError('#group-form', /There is no group/);
      expect(await page.textContent('#group-name')).toBe('acme');
    });

    await step('switch to default: signed out there', async () => {
      await page.fill('#group-input', 'default');
      await page.click('#group-form button[type=submit]');
      await page.waitForURL((url) => url.searchParams.get('group') === 'default');
      await expectView('sign-in', 'Sign in');
      expect(await page.textContent('#group-name')).toBe('default');
    });

    await step('the same address signs up in default as another account', async () => {
      await signUpAndVerify('default');
      await signIn(email);
      await expect.poll(() => page.textContent('#account-group')).toBe('default');
      await shot('02-account-in-default');
      const inAcme = await call('POST', '/auth/acme/login', { email, password });
      const inDefault = await call('POST', '/auth/default/login', { email, password });
      expect(inAcme.json.account.group).toBe('acme');
      expect(inDefault.json.account.group).toBe('default');
      expect(inAcme.json.account.id).not.toBe(inDefault.json.account.id);
    });

    await step('back in acme, acme’s session of this tab is still there', async () => {
      await page.goto(`${base}/?group=acme`);
      await expectView('account', /account$/);
      await expect.poll(() => page.textContent('#account-group')).toBe('acme');
    });

    // Every call named its group (the unknown one only in the form's check that it exists).
    const named = new RegExp(`^/auth/(acme|default)/|^/api/(acme|default)/me$|^/auth/nope-${tag}/\\.well-known/jwks\\.json$`);
    expect(calledPaths.filter((path) => !named.test(path))).toEqual([]);
    expect(calledPaths).toContain('/api/acme/me');
    expect(pageErrors).toEqual([]);
    expect(serverErrors).toEqual([]);
  });

  it('acme’s owner sets a first password with the claim mail’s link, on the reset page', async () => {
    // A browser of its own, signed in nowhere (the reset page is for someone signed out).
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watch(page);
    checks = pageChecks(page, { shots: SHOTS, serverLog: () => demo.log(), pageErrors });
    const { step, expectView, expectAnnounced, shot } = checks;
    try {
      await step('open the claim link and choose the password', async () => {
        const link = await mailLink(ownerEmail, /is ready/);
        expect(link).toMatch(/\/reset-password#group=acme&token=[A-Za-z0-9_-]{43}$/);
        await page.goto(link);
        await expectView('reset-password', 'Choose a new password');
        expect(await page.textContent('#group-name')).toBe('acme');
        await page.fill('#reset-password', password);
        await shot('03-claim');
        await page.click('#reset-form button[type=submit]');
        await expectView('sign-in', 'Sign in');
        await expectAnnounced(/Your password is changed/);
      });

      await step('sign in as acme’s owner', async () => {
        await signIn(ownerEmail);
        await expect.poll(() => page.textContent('#account-group')).toBe('acme');
        expect(await page.textContent('#account-roles')).toBe('admin');
      });
      expect(pageErrors).toEqual([]);
      expect(serverErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
