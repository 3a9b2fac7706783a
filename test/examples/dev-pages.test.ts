import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp as createExpressApp } from '../../examples/express/app.js';
import { createApp as createFastifyApp } from '../../examples/fastify/app.js';
import { createApp as createHonoApp } from '../../examples/hono/app.js';
import type { ExampleAppOptions } from '../../examples/shared/config.js';
import { DEV_PAGE_CSP, linkified, wantsHtml } from '../../examples/shared/dev-pages.js';
import { outboxMailer, outboxSmsSender, silentLogger } from '../../src/adapters/index.js';
import { createAuth, type Auth } from '../../src/index.js';
import { memoryStorage } from '../../src/memory.js';

/**
 * `GET /dev/outbox` and `GET /dev/sms` of the three example servers: JSON as before for curl, fetch and
 * the tests (no `Accept: text/html`), and for a browser a page listing the messages newest first, their
 * links clickable, everything a message holds escaped, under a CSP that runs no script at all.
 */

interface Listening {
  base: string;
  close(): Promise<void>;
}

const frameworks: Array<{ name: string; serve: (auth: Auth, options: ExampleAppOptions) => Promise<Listening> }> = [
  {
    name: 'Hono',
    async serve(auth, options) {
      const app = createHonoApp(auth, options);
      let server!: ReturnType<typeof serve>;
      const base = await new Promise<string>((resolve) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
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
      return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'Fastify',
    async serve(auth, options) {
      const app = await createFastifyApp(auth, options);
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
    },
  },
];

/** What a browser's address bar sends. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

let open: Listening | undefined;

afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('examples/shared/dev-pages', () => {
  it('asks for HTML only when the Accept header names text/html', () => {
    expect(wantsHtml(BROWSER_ACCEPT)).toBe(true);
    expect(wantsHtml('text/html')).toBe(true);
    expect(wantsHtml('*/*')).toBe(false);
    expect(wantsHtml('application/json')).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
    expect(wantsHtml('text/htmlx')).toBe(false);
  });

  it('links http(s) URLs only, escaped, and leaves the rest as escaped text', () => {
    expect(linkified('Open http://localhost:3000/verify-email#token=abc&x="y" now.')).toBe(
      'Open <a href="http://localhost:3000/verify-email#token=abc&amp;x=">http://localhost:3000/verify-email#token=abc&amp;x=</a>&quot;y&quot; now.',
    );
    expect(linkified('javascript:alert(1) <b>')).toBe('javascript:alert(1) &lt;b&gt;');
    expect(linkified('(see https://example.com/a).')).toBe('(see <a href="https://example.com/a">https://example.com/a</a>).');
  });
});

for (const { name, serve: listen } of frameworks) {
  describe(`examples/${name}: /dev/outbox and /dev/sms`, () => {
    async function start(): Promise<{ base: string; outbox: ReturnType<typeof outboxMailer>; sms: ReturnType<typeof outboxSmsSender> }> {
      const outbox = outboxMailer();
      const sms = outboxSmsSender();
      const auth = createAuth({ storage: memoryStorage(), secret: randomBytes(32).toString('base64url'), logger: silentLogger });
      open = await listen(auth, { outbox, sms });
      await outbox.send({
        kind: 'email-verification',
        to: 'first@example.com',
        subject: 'The older mail',
        text: 'Confirm: http://localhost:3000/verify-email#token=first\n\nToken: first\n',
        html: '<p>first</p>',
      });
      await outbox.send({
        kind: 'password-reset',
        to: `"${HOSTILE}"@example.com`,
        subject: `Hi ${HOSTILE}`,
        text: `Hi ${HOSTILE},\n\nhttp://localhost:3000/reset-password#token=second"><script>alert(2)</script>\n`,
        html: HOSTILE,
      });
      await sms.send({ to: '+447700900123', text: `Your code is 123456 ${HOSTILE}` });
      return { base: open.base, outbox, sms };
    }

    it('answer JSON, oldest first, unless the browser asks for HTML', async () => {
      const { base } = await start();
      for (const accept of [undefined, '*/*', 'application/json']) {
        const response = await fetch(`${base}/dev/outbox`, accept ? { headers: { accept } } : {});
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('vary')?.toLowerCase()).toContain('accept');
        const mails = (await response.json()) as Array<{ to: string; subject: string; text: string; html: string; sentAt: string }>;
        expect(mails.map((mail) => mail.subject)).toEqual(['The older mail', `Hi ${HOSTILE}`]);
        expect(Object.keys(mails[0]!).sort()).toEqual(['html', 'sentAt', 'subject', 'text', 'to']);
      }
      const texts = (await (await fetch(`${base}/dev/sms`)).json()) as Array<{ to: string; text: string }>;
      expect(texts).toEqual([expect.objectContaining({ to: '+447700900123', text: `Your code is 123456 ${HOSTILE}` })]);
    });

    it('show a browser the mails newest first, links clickable, everything escaped, under a CSP without script', async () => {
      const { base } = await start();
      const response = await fetch(`${base}/dev/outbox`, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(DEV_PAGE_CSP);
      expect(DEV_PAGE_CSP).toMatch(/^default-src 'none';/);
      expect(DEV_PAGE_CSP).not.toMatch(/script-src/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await response.text();
      expect(html).not.toMatch(/<script|<img|<[^>]*\son[a-z]+=/i);
      expect(html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
      // Newest first.
      expect(html.indexOf('Hi &lt;script&gt;')).toBeLessThan(html.indexOf('The older mail'));
      expect(html).toContain('<a href="http://localhost:3000/verify-email#token=first">http://localhost:3000/verify-email#token=first</a>');
      // A quote ends the URL: the rest of the hostile "link" stays text.
      expect(html).toContain('<a href="http://localhost:3000/reset-password#token=second">');
      expect(html).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      // The mail's HTML part is not rendered.
      expect(html).not.toContain(HOSTILE);

      const sms = await fetch(`${base}/dev/sms`, { headers: { accept: BROWSER_ACCEPT } });
      expect(sms.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(sms.headers.get('content-security-policy')).toBe(DEV_PAGE_CSP);
      const smsHtml = await sms.text();
      expect(smsHtml).toContain('+447700900123');
      expect(smsHtml).toContain('Your code is 123456 &lt;script&gt;');
      expect(smsHtml).not.toMatch(/<script|<img/i);
    });

    it('say so on an empty outbox', async () => {
      const outbox = outboxMailer();
      const auth = createAuth({ storage: memoryStorage(), secret: randomBytes(32).toString('base64url'), logger: silentLogger });
      open = await listen(auth, { outbox });
      const html = await (await fetch(`${open.base}/dev/outbox`, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain('No mail yet.');
      expect(await (await fetch(`${open.base}/dev/outbox`)).json()).toEqual([]);
      expect((await fetch(`${open.base}/dev/sms`, { headers: { accept: 'text/html' } })).status).toBe(404);
    });
  });
}
