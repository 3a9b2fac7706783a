import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp as createExpressApp } from '../../examples/express/app.js';
import { createApp as createFastifyApp } from '../../examples/fastify/app.js';
import { createApp as createHonoApp } from '../../examples/hono/app.js';
import { createExampleAuth, type ExampleAppOptions, examplePasskeys } from '../../examples/shared/config.js';
import { DOCS_CSP, WEB_CSP, withoutRedocCdn } from '../../examples/shared/web.js';
import { buildWebApp } from '../../examples/web/build.mjs';
import { silentLogger } from '../../src/adapters/index.js';
import { createAuth, type Auth } from '../../src/index.js';
import { memoryStorage } from '../../src/memory.js';

/**
 * The demo web app as the three example servers serve it: the page at `/` (and at `/verify-email` and
 * `/reset-password`, where the mails link) with its strict CSP, its styles and bundle with the right
 * types and `no-store`, the JSON route list moved to `/api`, and `/demo-config.json`, where the page
 * learns whether latchkey is under `/auth/{group}/…` (multi-group mode).
 */

interface Listening {
  base: string;
  close(): Promise<void>;
}

const frameworks: Array<{ name: string; serve: (auth: Auth, options?: ExampleAppOptions) => Promise<Listening> }> = [
  {
    name: 'Hono',
    async serve(auth, options) {
      const app = createHonoApp(auth, options);
      let server!: ReturnType<typeof serve>;
      const base = await new Promise<string>((resolve) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
          resolve(`http://127.0.0.1:${info.port}`),
        );
      });
      return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'Express',
    async serve(auth, options) {
      const app = createExpressApp(auth, options);
      const server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'Fastify',
    async serve(auth, options) {
      const app = await createFastifyApp(auth, options);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      return { base, close: () => app.close() };
    },
  },
];

const EXPECTED_DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const EXPECTED_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

beforeAll(async () => {
  // What `npm start` does before it listens.
  await buildWebApp();
});

describe('examples/web: the page itself', () => {
  it('has no inline script or style (the CSP allows neither), unique ids, and a label for every field', async () => {
    const html = await readFile(new URL('../../examples/web/index.html', import.meta.url), 'utf8');
    expect(WEB_CSP).toBe(EXPECTED_CSP);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    expect(html).not.toMatch(/<style/);

    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);

    const labelled = new Set([...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
    const fields = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).filter((input) => !/\shidden\b/.test(input));
    expect(fields.length).toBeGreaterThan(20);
    for (const input of fields) {
      const id = /\sid="([^"]+)"/.exec(input)?.[1];
      expect(id && labelled.has(id), input).toBe(true);
    }
  });

  it('the API reference page loads Redoc and its init file from the demo, with no inline script and nothing from a CDN', async () => {
    const html = await readFile(new URL('../../examples/web/docs.html', import.meta.url), 'utf8');
    expect(DOCS_CSP).toBe(EXPECTED_DOCS_CSP);
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script src="/docs/redoc.standalone.js" defer>',
      '<script src="/docs/docs.js" defer>',
    ]);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|<style/);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    // Redoc's sidebar logo, the one URL of a third party in its bundle, is served as an empty data: image.
    expect(withoutRedocCdn('src:"https://cdn.redoc.ly/redoc/logo-mini.svg"')).toMatch(/^src:"data:image\/svg\+xml,[^"]+"$/);
  });
});

for (const { name, serve: listen } of frameworks) {
  describe(`examples/${name}: the web app`, () => {
    it('serves the page, its styles and its bundle with their types, no-store and the CSP; the route list at /api', async () => {
      const auth = createAuth({ storage: memoryStorage(), secret: randomBytes(32).toString('base64url'), logger: silentLogger });
      const app = await listen(auth);
      try {
        const page = await fetch(`${app.base}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(page.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
        expect(page.headers.get('cache-control')).toBe('no-store');
        expect(page.headers.get('x-content-type-options')).toBe('nosniff');
        expect(page.headers.get('referrer-policy')).toBe('no-referrer');
        const html = await page.text();
        expect(html).toContain('<script type="module" src="/app.js"></script>');
        expect(html).toContain('<link rel="stylesheet" href="/styles.css">');

        // The pages the mails link to (`/verify-email#token=…`) are the same page, with the same headers:
        // no-referrer among them, though the token rides in the fragment, which no request carries.
        for (const path of ['/verify-email', '/reset-password']) {
          const linked = await fetch(`${app.base}${path}`);
          expect(linked.status, path).toBe(200);
          expect(linked.headers.get('content-type')).toBe('text/html; charset=utf-8');
          expect(linked.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
          expect(linked.headers.get('referrer-policy')).toBe('no-referrer');
          expect(await linked.text()).toBe(html);
        }

        const styles = await fetch(`${app.base}/styles.css`);
        expect(styles.status).toBe(200);
        expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
        expect(styles.headers.get('cache-control')).toBe('no-store');
        expect(await styles.text()).toContain(':focus-visible');

        const script = await fetch(`${app.base}/app.js`);
        expect(script.status).toBe(200);
        expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(script.headers.get('cache-control')).toBe('no-store');
        const bundle = await script.text();
        expect(bundle).toContain('/api/me');
        expect(bundle).toContain('navigator.credentials'); // @simplewebauthn/browser is bundled in
        expect(bundle).not.toMatch(/^import /m); // one self-contained module

        const index = await fetch(`${app.base}/api`);
        expect(index.status).toBe(200);
        const body = (await index.json()) as { routes: Record<string, string> };
        expect(body.routes).toHaveProperty(['GET /docs']);
        expect(body.routes).toHaveProperty(['GET /']);
        expect(body.routes).toHaveProperty(['GET /api/me']);
        expect(body.routes).toHaveProperty(['GET /demo-config.json']);
      } finally {
        await app.close();
      }
    });

    it('serves the API reference at /docs with its own CSP, its init file, and Redoc from node_modules', async () => {
      const auth = createAuth({ storage: memoryStorage(), secret: randomBytes(32).toString('base64url'), logger: silentLogger });
      const app = await listen(auth);
      try {
        const page = await fetch(`${app.base}/docs`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(page.headers.get('content-security-policy')).toBe(EXPECTED_DOCS_CSP);
        expect(page.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await page.text()).toContain('<main id="redoc"></main>');

        const init = await fetch(`${app.base}/docs/docs.js`);
        expect(init.status).toBe(200);
        expect(init.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        const code = await init.text();
        expect(code).toContain("'/auth/openapi.json'");
        expect(code).toContain('Redoc.init(');

        const styles = await fetch(`${app.base}/docs/docs.css`);
        expect(styles.status).toBe(200);
        expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');

        const redoc = await fetch(`${app.base}/docs/redoc.standalone.js`);
        expect(redoc.status).toBe(200);
        expect(redoc.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(redoc.headers.get('x-content-type-options')).toBe('nosniff');
        const bundle = await redoc.text();
        expect(bundle.length).toBeGreaterThan(500_000);
        expect(bundle).toContain('Redoc');
        expect(bundle).not.toContain('cdn.redoc.ly');
        // Nothing of the main page's CSP changed for it.
        expect((await fetch(`${app.base}/`)).headers.get('content-security-policy')).toBe(EXPECTED_CSP);
      } finally {
        await app.close();
      }
    });

    it('says at /demo-config.json whether it runs in multi-group mode', async () => {
      const auth = createAuth({ storage: memoryStorage(), secret: randomBytes(32).toString('base64url'), logger: silentLogger });
      for (const groups of [false, true]) {
        const app = await listen(auth, groups ? { groups } : {});
        try {
          const response = await fetch(`${app.base}/demo-config.json`);
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
          expect(response.headers.get('cache-control')).toBe('no-store');
          expect(await response.json()).toEqual({ groups });
        } finally {
          await app.close();
        }
      }
    });
  });
}

describe('examples: passkey settings', () => {
  it('default to localhost on the given port; PUBLIC_URL sets the RP ID and the one origin', () => {
    expect(examplePasskeys({}, 3996)).toEqual({
      rpID: 'localhost',
      rpName: 'latchkey demo',
      origins: ['http://localhost:3996', 'http://127.0.0.1:3996'],
    });
    expect(examplePasskeys({ PUBLIC_URL: 'https://demo.example.com/some/path' }, 3996)).toEqual({
      rpID: 'demo.example.com',
      rpName: 'latchkey demo',
      origins: ['https://demo.example.com'],
    });
    expect(examplePasskeys({ PUBLIC_URL: 'http://demo.test:8080' }, 3996).origins).toEqual(['http://demo.test:8080']);
    expect(() => examplePasskeys({ PUBLIC_URL: 'not a url' }, 3996)).toThrow(/PUBLIC_URL/);
    expect(() => examplePasskeys({ PUBLIC_URL: 'ftp://demo.example.com' }, 3996)).toThrow(/PUBLIC_URL/);
  });

  it('reach latchkey: the passkey options of the npm start app name the RP ID', async () => {
    const example = await createExampleAuth({ env: { DATABASE_URL: 'memory:' }, port: 3996, logger: silentLogger, warn: () => {} });
    const app = createHonoApp(example.auth);
    try {
      const response = await app.request('/auth/webauthn/login/options', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ rpId: 'localhost' });
    } finally {
      await example.close();
    }
  });

  it('a PUBLIC_URL that is not a URL stops the start with a message that names it', async () => {
    await expect(
      createExampleAuth({ env: { DATABASE_URL: 'memory:', PUBLIC_URL: 'demo.example.com' }, logger: silentLogger, warn: () => {} }),
    ).rejects.toThrow(/PUBLIC_URL/);
  });
});
