import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What a browser walk of the demo needs besides the walk itself: the demo as `npm start` runs it, in
 * its own process group on a free port, and the checks a step makes of the page (its view, its message
 * banner, a form's error box), with a failure that names the step and keeps a screenshot.
 */

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
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
export const STEP_TIMEOUT = 15_000;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

export interface RunningDemo {
  /** Everything it printed so far. */
  log(): string;
  /** Whether the process is still running: it has neither exited nor been killed. */
  running(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts `npm start`'s server (`tsx examples/hono/server.ts`) in its own process group, with `env` over
 * the test's environment minus NODE_ENV (vitest sets it to test; the demo runs as `npm start` would),
 * HOST, PUBLIC_URL and SMTP_URL, and waits for its "listening" line. A demo that does not get there
 * within 45 s is killed, with its process group.
 */
export async function startDemo(port: number, env: NodeJS.ProcessEnv): Promise<RunningDemo> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  for (const name of ['NODE_ENV', 'HOST', 'PUBLIC_URL', 'SMTP_URL', 'LATCHKEY_SECRET', 'DATABASE_URL']) delete childEnv[name];
  Object.assign(childEnv, env);
  const child: ChildProcess = spawn('npx', ['--no', 'tsx', 'examples/hono/server.ts'], {
    cwd: ROOT,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  await new Promise<void>((resolveStart, reject) => {
    const timer = setTimeout(() => {
      signalGroup('SIGKILL');
      reject(new Error(`the demo did not start within 45 s:\n${log}`));
    }, 45_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/listening on http:\/\/\S+/.test(log)) {
        clearTimeout(timer);
        resolveStart();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${signal ?? code}) before listening:\n${log}`));
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    log: () => log,
    running,
    async stop() {
      if (!child.pid || !running()) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The checks a step makes of one page; `serverLog` and `pageErrors` go into a failed step's report. */
export function pageChecks(page: Page, options: { shots: string; serverLog: () => string; pageErrors: string[] }) {
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

  /** Saves `<shots>/<name>.png`: the viewport, or the whole page. */
  async function shot(name: string, fullPage = false): Promise<void> {
    await page.screenshot({ path: join(options.shots, `${name}.png`), fullPage });
  }

  /** Runs one step of the walk; a failure names the step and saves what the page showed. */
  async function step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page.screenshot({ path: join(options.shots, `failed-${slug}.png`), fullPage: true }).catch(() => {});
      const announced = await page.textContent('#announcer-text').catch(() => null);
      const formErrors = await page
        .$$eval('.form-error:not([hidden])', (boxes) => boxes.map((b) => `${b.closest('form, section')?.id ?? '?'}: ${b.textContent}`))
        .catch(() => []);
      const detail = [
        `step "${name}" failed: ${(error as Error).message}`,
        `message area: ${JSON.stringify(announced)}`,
        `form errors: ${JSON.stringify(formErrors)}`,
        `page errors: ${JSON.stringify(options.pageErrors)}`,
        `server log (tail):\n${options.serverLog().split('\n').slice(-30).join('\n')}`,
      ].join('\n');
      throw new Error(detail, { cause: error });
    }
  }

  return { expectView, expectAnnounced, expectFormError, shot, step };
}

/**
 * Checks that the page fits a phone `width` px wide (default 390): the document scrolls no wider than
 * its viewport (`scrollWidth <= clientWidth`), with the text that sticks out named in the failure. The
 * viewport is set to `width` × 844 first; `restore` sets it back afterwards.
 */
export async function expectFitsPhone(page: Page, options: { width?: number; restore?: { width: number; height: number } } = {}): Promise<void> {
  const width = options.width ?? 390;
  await page.setViewportSize({ width, height: 844 });
  try {
    // Two frames: the layout after the resize, and whatever a resize observer changed in it.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
      const root = document.documentElement;
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node && found.length < 5; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('[hidden]')) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const right = range.getBoundingClientRect().right;
        if (right > root.clientWidth + 0.5) {
          found.push(`${parent.tagName.toLowerCase()}${parent.id ? `#${parent.id}` : ''} “${node.textContent?.trim().slice(0, 40)}”: ${Math.round(right)}`);
        }
      }
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: found };
    });
    expect(scrollWidth, `wider than ${clientWidth} px: ${wide.join('; ')}`).toBeLessThanOrEqual(clientWidth);
  } finally {
    if (options.restore) await page.setViewportSize(options.restore);
  }
}
