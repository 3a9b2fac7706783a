import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFitsPhone } from './harness.js';

/**
 * The demo web app end to end, in a real browser: `npm start` (the Hono example, in memory) in a child
 * process, Debian's Chromium driven by playwright-core, and a CDP virtual authenticator standing in for
 * the device's passkey store. It walks sign up → sign in → verify with the mail's link (which signs out)
 * → sign in → authenticator app → sign out → sign in with a code → add, remove and add again a passkey →
 * sign out → sign in with the passkey → panic lock, and keeps screenshots of the main screens in
 * test-results/e2e/. `npm run test:e2e` runs it; `npm test` does not (see docs/e2e.md).
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'test-results', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** How long one UI step (a view change, a message) may take. */
const STEP_TIMEOUT = 15_000;

// Long enough to have to break on a phone (the account page, the two-step section, the outbox page), and
// without a hyphen in its first 45 characters, where a browser could break it anyway: the page has to.
const email = `averylongaddressfortestingoverflow.${randomBytes(4).toString('hex')}@an-extremely-long-subdomain.example.com`;
/** Changed by the reset step. */
let password = 'correct horse battery staple';
const passkeyName = 'E2E virtual authenticator';
/** The account page's heading names the account holder once the profile has a first name. */
const ACCOUNT_HEADING = /^Ada’s account$/;

let server: ChildProcess | undefined;
let serverLog = '';
/** The page's origin. `localhost`, not 127.0.0.1: the demo's passkey RP ID is `localhost`. */
let base = '';
/** Where the test's own requests go (`/dev/outbox`): the server listens on 127.0.0.1 only. */
let api = '';
let browser: Browser | undefined;
let page: Page;
let cdp: CDPSession;
let authenticatorId = '';
const pageErrors: string[] = [];
const serverErrors: string[] = [];
/** Every URL the page requested, to show that a mailed token never left the browser in one. */
const requestedUrls: string[] = [];

// --- helpers -----------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Starts `npm start`'s server (`tsx examples/hono/server.ts`) in its own process group. */
async function startServer(port: number): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: 'memory:' };
  // Vitest sets NODE_ENV=test; the demo runs as `npm start` would. No SMTP: mails go to /dev/outbox.
  for (const name of ['NODE_ENV', 'HOST', 'PUBLIC_URL', 'SMTP_URL', 'LATCHKEY_SECRET']) delete env[name];
  const child = spawn('npx', ['--no', 'tsx', 'examples/hono/server.ts'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  await new Promise<void>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start within 45 s:\n${serverLog}`)), 45_000);
    const onData = (chunk: Buffer) => {
      serverLog += chunk.toString();
      if (/listening on http:\/\/\S+/.test(serverLog)) {
        clearTimeout(timer);
        resolveStart();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${signal ?? code}) before listening:\n${serverLog}`));
    });
  });
}

async function stopServer(): Promise<void> {
  const child = server;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
      buffer &= (1 << bits) - 1;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 6238 (HMAC-SHA1, 30 s, 6 digits), `stepOffset` time steps from now: what the app would show. */
function totp(secret: string, stepOffset = 0): string {
  const counter = Math.floor(Date.now() / 30_000) + stepOffset;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The desktop viewport the walk runs in; each main view is also checked at a phone's 390 px. */
const DESKTOP = { width: 1280, height: 900 };

/** The view shown now fits a 390 px phone (saved as phone-<name>.png), then back to the desktop size. */
async function fitsPhone(name: string): Promise<void> {
  await expectFitsPhone(page);
  await page.screenshot({ path: join(SHOTS, `phone-${name}.png`) });
  await page.setViewportSize(DESKTOP);
}

/**
 * The newest mail to `to` whose subject matches, from the demo's `GET /dev/outbox`: its token (the
 * `Token: …` line) and its link to the web app (`…/verify-email#token=…`).
 */
async function outboxMail(to: string, subject: RegExp): Promise<{ token: string; link: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${api}/dev/outbox`);
    expect(response.status).toBe(200);
    const mails = (await response.json()) as Array<{ to: string; subject: string; text: string }>;
    const mail = mails.filter((m) => m.to === to && subject.test(m.subject)).at(-1);
    const token = mail?.text.match(/^Token: (\S+)$/m)?.[1];
    const link = mail?.text.match(/^(http\S+#token=\S+)$/m)?.[1];
    if (token && link) return { token, link };
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} in the outbox: ${JSON.stringify(mails.map((m) => m.subject))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Saves test-results/e2e/<name>.png: the viewport, or one section of the page (a selector). A section's
 * picture leaves out the message banner, which is fixed to the viewport and would land on top of it.
 */
async function shot(name: string, target = 'page'): Promise<void> {
  const path = join(SHOTS, `${name}.png`);
  if (target === 'page') await page.screenshot({ path });
  else {
    // (Through the element's style: the demo's CSP refuses the <style> that screenshot({ style }) adds.)
    const announcer = page.locator('#announcer');
    await announcer.evaluate((el) => (el.style.visibility = 'hidden'));
    try {
      await page.locator(target).screenshot({ path });
    } finally {
      await announcer.evaluate((el) => (el.style.visibility = ''));
    }
  }
}

/** Waits for a view to show and checks its heading. */
async function expectView(view: string, heading: string | RegExp): Promise<void> {
  await page.locator(`[data-view="${view}"]`).waitFor({ state: 'visible' });
  const text = (await page.locator(`[data-view="${view}"] h1`).textContent())?.trim();
  if (typeof heading === 'string') expect(text).toBe(heading);
  else expect(text).toMatch(heading);
}

/** The page's message area (`role=status`) comes to say `pattern`. */
async function expectAnnounced(pattern: RegExp): Promise<void> {
  await expect.poll(() => page.textContent('#announcer-text'), { timeout: STEP_TIMEOUT }).toMatch(pattern);
}

/** A form's error box shows, saying `pattern`. */
async function expectFormError(form: string, pattern: RegExp): Promise<void> {
  const box = page.locator(`${form} .form-error`).first();
  await box.waitFor({ state: 'visible' });
  expect(await box.textContent()).toMatch(pattern);
}

async function signOut(): Promise<void> {
  await page.click('#sign-out');
  await expectView('sign-in', 'Sign in');
  await expect.poll(() => page.isVisible('#nav-signed-in')).toBe(false);
}

/** Runs one step of the walk; a failure names the step and saves what the page showed. */
async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await page.screenshot({ path: join(SHOTS, `failed-${slug}.png`), fullPage: true }).catch(() => {});
    const announced = await page.textContent('#announcer-text').catch(() => null);
    const formErrors = await page
      .$$eval('.form-error:not([hidden])', (boxes) => boxes.map((b) => `${b.closest('form, section')?.id ?? '?'}: ${b.textContent}`))
      .catch(() => []);
    const detail = [
      `step "${name}" failed: ${(error as Error).message}`,
      `message area: ${JSON.stringify(announced)}`,
      `form errors: ${JSON.stringify(formErrors)}`,
      `page errors: ${JSON.stringify(pageErrors)}`,
      `server log (tail):\n${serverLog.split('\n').slice(-30).join('\n')}`,
    ].join('\n');
    throw new Error(detail, { cause: error });
  }
}

// --- set-up ------------------------------------------------------------------------------------------

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });

  const port = await freePort();
  base = `http://localhost:${port}`;
  api = `http://127.0.0.1:${port}`;
  await startServer(port);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const context = await browser.newContext({ viewport: DESKTOP });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requestedUrls.push(request.url()));
  page.on('response', (response) => {
    if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });

  // A platform authenticator with resident keys and user verification, which says yes by itself.
  cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  authenticatorId = added.authenticatorId;
}, 90_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
});

// --- the walk ----------------------------------------------------------------------------------------

describe('the demo web app in Chromium', () => {
  it('signs up, verifies, adds an authenticator app and a passkey, signs in with each, and panic-locks', async () => {
    let secret = '';
    let recoveryCodes: string[] = [];

    await step('sign up', async () => {
      await page.goto(`${base}/`);
      await expectView('sign-in', 'Sign in');
      await page.click('#nav-signed-out a[href="#/sign-up"]');
      await expectView('sign-up', 'Create an account');
      await page.fill('#sign-up-first', 'Ada');
      await page.fill('#sign-up-last', 'Lovelace');
      // A refused address: the server's message, once, in the form's error box; the field is marked, not
      // given a second, differently worded message of its own; the page's banner stays out of it.
      await page.fill('#sign-up-email', 'ada-at-example.com');
      await page.fill('#sign-up-password', password);
      await page.click('#sign-up-form button[type=submit]');
      await expectFormError('#sign-up-form', /^The email address is not valid\.$/);
      expect(await page.getAttribute('#sign-up-email', 'aria-invalid')).toBe('true');
      expect(await page.locator('[data-view="sign-up"] .field-error').count()).toBe(0);
      const view = (await page.textContent('[data-view="sign-up"]')) ?? '';
      expect(view.match(/valid|must be/g)).toEqual(['valid']);
      expect(await page.textContent('#announcer-text')).toBe('');
      await page.fill('#sign-up-email', email);
      await shot('01-sign-up');
      await fitsPhone('01-sign-up');
      await page.click('#sign-up-form button[type=submit]');
      await expectView('verify-email', 'Verify your email address');
      await expectAnnounced(/Account created\. We sent a verification token to/);
      expect(await page.isVisible('#sign-up-form .form-error')).toBe(false);
      await fitsPhone('02-verify-email');
    });

    await step('sign in before verifying', async () => {
      await page.click('[data-view="verify-email"] a[href="#/sign-in"]');
      await expectView('sign-in', 'Sign in');
      await page.fill('#sign-in-email', email);
      await page.fill('#sign-in-password', password);
      await page.click('#sign-in-form button[type=submit]');
      await expectView('account', ACCOUNT_HEADING);
      await expect.poll(() => page.textContent('#account-email-badge')).toBe('not verified');
      expect(await page.isVisible('#email-unverified')).toBe(true);
      await page.locator('#sessions-body tr').first().waitFor();
      await fitsPhone('03-account-unverified');
    });

    await step('verify the email address with the link in the mail, from the outbox page', async () => {
      const { token, link } = await outboxMail(email, /confirm|verif/i);
      // The token rides in the fragment: the page reads it and takes it out of the address bar.
      expect(link).toBe(`${base}/verify-email#token=${token}`);
      // The outbox as a browser sees it: a page, newest mail first, its link clickable; no script.
      await page.goto(`${base}/dev/outbox`);
      expect(await page.textContent('h1')).toBe('Development outbox');
      const newest = page.locator('.dev-message').first();
      expect(await newest.locator('h2').textContent()).toMatch(/confirm|verif/i);
      expect(await newest.locator('.dev-meta').textContent()).toContain(email);
      expect(await page.locator('script').count()).toBe(0);
      await fitsPhone('04-outbox');
      await newest.locator(`a[href="${link}"]`).click();
      await expectView('verify-email', 'Verify your email address');
      expect(await page.inputValue('#verify-email-token')).toBe(token);
      expect(page.url()).toBe(`${base}/#/verify-email`);
      await shot('02-verify');
      await page.click('#verify-email-form button[type=submit]');
      // Verifying ends every session opened before it, this one included: sign in again.
      await expectView('sign-in', 'Sign in');
      await expectAnnounced(/Your email address is verified\. .*sign in again/);
      await expect.poll(() => page.isVisible('#nav-signed-in')).toBe(false);
      expect(requestedUrls.filter((url) => url.includes(token))).toEqual([]);
    });

    await step('sign in with the password', async () => {
      await page.fill('#sign-in-email', email);
      await page.fill('#sign-in-password', password);
      await page.click('#sign-in-form button[type=submit]');
      await expectView('account', ACCOUNT_HEADING);
      await expectAnnounced(/^Signed in\.$/);
      await expect.poll(() => page.textContent('#account-email-badge')).toBe('verified');
      await expect.poll(() => page.textContent('#totp-badge')).toBe('off');
      await page.locator('#sessions-body tr').first().waitFor();
      await shot('03-account');
      await fitsPhone('05-account');
    });

    await step('set up the authenticator app', async () => {
      await page.click('#totp-start-form button');
      await page.locator('#totp-setup').waitFor({ state: 'visible' });
      await page.waitForFunction(() => {
        const qr = document.querySelector<HTMLImageElement>('#totp-qr');
        return !!qr?.complete && qr.naturalWidth > 0;
      });
      secret = ((await page.textContent('#totp-secret')) ?? '').replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      // No second factor yet, so adding one asks for the password as proof, and says why; the code
      // field, which would be asked once a second step is on, does not show.
      await expect.poll(() => page.isVisible('#totp-proof-password')).toBe(true);
      expect(await page.isVisible('#totp-proof-code')).toBe(false);
      expect(await page.textContent('label[for="totp-proof-password"]')).toMatch(/while two-step verification is off/);
      // A wrong code: the error shows above the numbered steps, not as one of them.
      await page.fill('#totp-code', '000000');
      await page.fill('#totp-proof-password', password);
      await page.click('#totp-confirm-form button[type=submit]');
      await expectFormError('#totp-confirm-form', /code/i);
      expect(await page.locator('#totp-confirm-form .form-error').evaluate((box) => box.closest('li, ol') === null)).toBe(true);
      await fitsPhone('06-totp-setup');
      await page.fill('#totp-code', totp(secret));
      await page.fill('#totp-proof-password', password);
      await shot('04-totp-setup', '#two-factor');
      await page.click('#totp-confirm-form button[type=submit]');
      await page.locator('#recovery-codes-panel').waitFor({ state: 'visible' });
      expect(await page.textContent('#recovery-codes-title')).toBe('The authenticator app is on. Here are your recovery codes');
      recoveryCodes = await page.$$eval('#recovery-codes-list code', (codes) => codes.map((c) => c.textContent ?? ''));
      expect(recoveryCodes.length).toBeGreaterThan(0);
      await expect.poll(() => page.textContent('#totp-badge')).toBe('on');
      expect(await page.textContent('#two-factor-summary')).toMatch(/^On\. .*authenticator app/);
      await shot('05-recovery-codes', '#recovery-codes');
      await page.locator('#recovery-codes').scrollIntoViewIfNeeded();
      await fitsPhone('07-recovery-codes');
      await page.click('#recovery-codes-done');
      await page.locator('#recovery-codes-panel').waitFor({ state: 'hidden' });
    });

    await step('sign out', signOut);

    await step('sign in with the password and an authenticator code', async () => {
      await page.fill('#sign-in-email', email);
      await page.fill('#sign-in-password', password);
      await page.click('#sign-in-form button[type=submit]');
      await expectView('two-factor', 'Two-step verification');
      expect(await page.textContent('#two-factor-code-label')).toBe('Code from your authenticator app');
      // The next time step's code: never the one the setup spent, and within the server's ±1 step.
      await page.fill('#two-factor-code', totp(secret, 1));
      await shot('06-sign-in-totp');
      await fitsPhone('08-two-factor');
      await page.click('#two-factor-form button[type=submit]');
      await expectView('account', ACCOUNT_HEADING);
      await expectAnnounced(/Signed in with two-step verification\./);
    });

    await step('add a passkey', async () => {
      await page.locator('#passkey-empty').waitFor({ state: 'visible' });
      await page.fill('#passkey-name', passkeyName);
      // A new way to sign in needs a fresh proof: with the authenticator app on, a current second step
      // rather than the password. A recovery code, since this time step's TOTP was spent signing in.
      expect(await page.isVisible('#passkey-proof-password')).toBe(false);
      await page.locator('#passkey-proof-code').waitFor({ state: 'visible' });
      await page.fill('#passkey-proof-code', recoveryCodes[0]!);
      await page.click('#passkey-add-form button[type=submit]');
      await expectAnnounced(new RegExp(`Passkey “${passkeyName}” added`));
      const items = page.locator('#passkey-list li');
      await items.first().waitFor();
      expect(await items.count()).toBe(1);
      expect(await items.first().textContent()).toContain(passkeyName);
      expect(await page.isHidden('#passkey-empty')).toBe(true);
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]!.isResidentCredential).toBe(true);
      expect(credentials[0]!.rpId).toBe('localhost');
      await shot('07-passkeys', '#passkeys');
    });

    await step('remove the passkey, and add it again', async () => {
      // Removing a way to sign in needs a fresh proof too: without one the page asks and sends nothing.
      await page.click('#passkey-list li button:has-text("Remove")');
      const confirm = page.locator('#passkey-list form.confirm');
      await confirm.waitFor({ state: 'visible' });
      expect(await confirm.locator('input[name="password"]').isVisible()).toBe(false);
      await confirm.locator('button[type=submit]').click();
      await expectFormError('#passkey-list form.confirm', /Enter a current second step/);
      expect(await page.locator('#passkey-list li').count()).toBe(1);
      await shot('07-passkey-remove', '#passkeys');
      await confirm.locator('input[name="x-otp"]').fill(recoveryCodes[1]!);
      await confirm.locator('button[type=submit]').click();
      await expectAnnounced(new RegExp(`Removed “${passkeyName}”`));
      await page.locator('#passkey-empty').waitFor({ state: 'visible' });
      // As its owner would, forget it on the device too, then add a new one (another recovery code).
      await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
      await page.fill('#passkey-name', passkeyName);
      await page.fill('#passkey-proof-code', recoveryCodes[2]!);
      await page.click('#passkey-add-form button[type=submit]');
      await expectAnnounced(new RegExp(`Passkey “${passkeyName}” added`));
      await page.locator('#passkey-list li').first().waitFor();
      expect(await page.locator('#passkey-list li').count()).toBe(1);
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
    });

    await step('sign out again', signOut);

    await step('sign in with the passkey', async () => {
      // Discoverable: no email (the page keeps the last one typed; cleared here), the authenticator
      // offers the passkey it holds for localhost.
      await page.fill('#sign-in-email', '');
      await page.click('#passkey-sign-in');
      await expectView('account', ACCOUNT_HEADING);
      await expectAnnounced(/Signed in with a passkey\./);
      await expect.poll(() => page.textContent('#passkey-list')).toMatch(/last used/);
      // The three recovery codes that proved the passkey changes are spent (the account is read afresh here).
      await expect.poll(() => page.textContent('#recovery-summary')).toBe(`You have ${recoveryCodes.length - 3} unused recovery codes.`);
      await shot('08-passkey-sign-in');
      // With a second step on, deleting the account asks for a code from it, not for the password.
      expect(await page.isVisible('#delete-proof-password')).toBe(false);
      expect(await page.isVisible('#delete-proof-code')).toBe(true);
      await fitsPhone('09-account-two-factor');
    });

    await step('reset the password with the link of the reset mail, opened as #/reset-password?token=…', async () => {
      await signOut();
      await page.click('a[href="#/forgot-password"]');
      await expectView('forgot-password', 'Reset your password');
      await page.fill('#forgot-email', email);
      await page.click('#forgot-form button[type=submit]');
      await expectView('reset-password', 'Choose a new password');
      const { token } = await outboxMail(email, /reset/i);
      // The page shows already: only the hash changes, and the token is taken all the same.
      await page.goto(`${base}/#/reset-password?token=${token}`);
      await expect.poll(() => page.inputValue('#reset-token')).toBe(token);
      expect(page.url()).toBe(`${base}/#/reset-password`);
      expect(await page.getAttribute('#reset-code', 'required')).toBeNull();
      expect(await page.textContent('label[for="reset-code"]')).toMatch(/optional/);
      await fitsPhone('10-reset-password');
      password = 'a brand new correct horse battery';
      await page.fill('#reset-password', password);
      // The account has a second step: the reset needs it too (a recovery code; the TOTPs are spent).
      await page.fill('#reset-code', recoveryCodes[3]!);
      await page.click('#reset-form button[type=submit]');
      await expectView('sign-in', 'Sign in');
      await expectAnnounced(/Your password is changed/);
      expect(requestedUrls.filter((url) => url.includes(token))).toEqual([]);
      await page.fill('#sign-in-email', email);
      await page.fill('#sign-in-password', password);
      await page.click('#sign-in-form button[type=submit]');
      await expectView('two-factor', 'Two-step verification');
      await page.click('#two-factor-recovery summary');
      await page.fill('#two-factor-recovery-code', recoveryCodes[4]!);
      await page.click('#two-factor-recovery-form button[type=submit]');
      await expectView('account', ACCOUNT_HEADING);
    });

    await step('panic lock', async () => {
      await page.click('#panic-start');
      await page.locator('#panic-confirm').waitFor({ state: 'visible' });
      expect(await page.textContent('#panic-confirm-text')).toMatch(/Lock your account now\?/);
      await page.click('#panic-confirm button[type=submit]');
      await expectView('unlock', 'Unlock your account');
      await expectAnnounced(/Your account is locked and every session was signed out/);
      expect(await page.isVisible('#nav-signed-in')).toBe(false);
      await shot('09-panic-locked');
      await fitsPhone('11-unlock');
    });

    await step('the locked account refuses the password and the passkey', async () => {
      await page.click('[data-view="unlock"] a[href="#/sign-in"]');
      await expectView('sign-in', 'Sign in');
      await page.fill('#sign-in-email', email);
      await page.fill('#sign-in-password', password);
      await page.click('#sign-in-form button[type=submit]');
      await expectFormError('#sign-in-form', /locked/i);
      expect(await page.isVisible('[data-view="two-factor"]')).toBe(false);
      await shot('10-sign-in-locked');
      // The passkey still answers the ceremony; the server must refuse the sign-in it would give.
      const verified = page.waitForResponse((r) => r.url().endsWith('/auth/webauthn/login/verify') && r.request().method() === 'POST');
      await page.click('#passkey-sign-in');
      const response = await verified;
      expect(response.status()).toBeGreaterThanOrEqual(400);
      const body = (await response.json()) as { error?: { code?: string } };
      expect(body.error?.code).toBe('account_locked');
      await expectFormError('#sign-in-form', /locked/i);
      expect(await page.isVisible('[data-view="account"]')).toBe(false);
    });

    expect(pageErrors).toEqual([]);
    expect(serverErrors).toEqual([]);
  });
});
