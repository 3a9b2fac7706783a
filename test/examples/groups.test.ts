import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/hono/app.js';
import { createExampleAuth, type ExampleAuth } from '../../examples/shared/config.js';
import { exampleGroups } from '../../examples/shared/groups.js';
import type { OutboxEntry } from '../../examples/shared/mailer.js';
import { silentLogger } from '../../src/adapters/index.js';

/**
 * `GROUPS=1 npm start`: the Hono demo in multi-group mode, started the way examples/hono/server.ts
 * starts it (its own SQLite file in a temporary data dir). The root group `default` has an admin (made
 * here as `npx latchkey grant-role` would), who creates a group over HTTP; an account registers in it
 * and stays invisible to the root group, and the other way round. The web app learns the mode at
 * `/demo-config.json`, and the mails' links name the account's group beside the token.
 */
describe('examples/hono with GROUPS=1: multi-group mode over HTTP', () => {
  const env = { NODE_ENV: 'test', GROUPS: '1' };
  let dir: string;
  let example: ExampleAuth;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-example-groups-'));
    example = await createExampleAuth({ env, dataDir: join(dir, 'data'), secretDir: join(dir, 'secret'), logger: silentLogger, warn: () => {} });
    const app = createApp(example.auth, { outbox: example.outbox, sms: example.sms, groups: exampleGroups(env) });
    base = await new Promise<string>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await example.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function call(method: string, path: string, init: { json?: unknown; token?: string } = {}) {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(base + path, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
  }

  const password = 'correct horse battery staple';

  it('serves groups under /auth/{group}; the root admin creates one; accounts stay in their group', async () => {
    expect((await call('POST', '/auth/login', { json: { email: 'x@example.com', password } })).status).toBe(404);

    const rootEmail = 'root.admin@example.com';
    expect((await call('POST', '/auth/default/accounts', { json: { email: rootEmail, password } })).status).toBe(201);
    await example.auth.grantRole({ group: 'default', email: rootEmail, role: 'admin' });
    const root = await call('POST', '/auth/default/login', { json: { email: rootEmail, password } });
    expect(root.status).toBe(200);

    const created = await call('POST', '/auth/default/groups', { token: root.body.accessToken, json: { id: 'acme', name: 'Acme' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ id: 'acme', name: 'Acme', settings: {} });
    const listed = await call('GET', '/auth/default/groups', { token: root.body.accessToken });
    expect(listed.body.data.map((g: { id: string }) => g.id)).toEqual(['acme', 'default']);

    const email = 'ada@acme.example';
    const registered = await call('POST', '/auth/acme/accounts', { json: { email, password } });
    expect(registered.status).toBe(201);
    expect(registered.body.group).toBe('acme');
    const login = await call('POST', '/auth/acme/login', { json: { email, password } });
    expect(login.status).toBe(200);

    // The app's own route, per group: the token must be of the group the path names.
    expect((await call('GET', '/api/acme/me', { token: login.body.accessToken })).body).toMatchObject({ accountId: registered.body.id });
    expect((await call('GET', '/api/default/me', { token: login.body.accessToken })).status).toBe(401);
    expect((await call('GET', '/auth/default/account', { token: login.body.accessToken })).status).toBe(401);
    expect((await call('POST', '/auth/default/login', { json: { email, password } })).status).toBe(401);
    expect((await call('GET', `/auth/default/accounts/${registered.body.id}`, { token: root.body.accessToken })).status).toBe(404);
    // The root group's admin administers its own group, not acme's: its token is not acme's.
    expect((await call('GET', '/auth/acme/group', { token: root.body.accessToken })).status).toBe(401);
    // acme's accounts have no say over groups.
    expect((await call('GET', '/auth/acme/groups', { token: login.body.accessToken })).status).toBe(403);
  });

  /** The newest mail to `to` whose subject matches (mails go out after the answer, so it polls). */
  async function mailTo(to: string, subject: RegExp): Promise<OutboxEntry> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const mails = ((await call('GET', '/dev/outbox')).body as OutboxEntry[]).filter((m) => m.to === to && subject.test(m.subject));
      if (mails.length > 0) return mails.at(-1)!;
      if (Date.now() > deadline) throw new Error(`no mail ${subject} to ${to} in /dev/outbox`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The mail's `Token: …` line, and its link to the web app, which names the group in the fragment. */
  function expectGroupLink(mail: OutboxEntry, page: '/verify-email' | '/reset-password', group: string): string {
    const token = /^Token: ([A-Za-z0-9_-]{43})$/m.exec(mail.text)?.[1];
    expect(token, mail.text).toBeDefined();
    const link = `http://localhost:3000${page}#group=${group}&token=${token}`;
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link.replace('&', '&amp;')}"`);
    return token!;
  }

  it('tells the web app it runs in multi-group mode at /demo-config.json', async () => {
    const response = await fetch(`${base}/demo-config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ groups: true });
  });

  it("links its mails to the account's group: verification, and the claim mail of a new group's owner", async () => {
    const email = 'grace@globex.example';
    const rootEmail = 'root.links@example.com';
    expect((await call('POST', '/auth/default/accounts', { json: { email: rootEmail, password } })).status).toBe(201);
    expectGroupLink(await mailTo(rootEmail, /Confirm your email/), '/verify-email', 'default');
    await example.auth.grantRole({ group: 'default', email: rootEmail, role: 'admin' });
    const root = await call('POST', '/auth/default/login', { json: { email: rootEmail, password } });

    const created = await call('POST', '/auth/default/groups', { token: root.body.accessToken, json: { id: 'globex', ownerEmail: email } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The claim mail links to the reset page, and shows its token too; the token sets the first password.
    const token = expectGroupLink(await mailTo(email, /is ready/), '/reset-password', 'globex');
    const reset = await call('POST', '/auth/globex/password/reset', { json: { token, password } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    const owner = await call('POST', '/auth/globex/login', { json: { email, password } });
    expect(owner.status).toBe(200);
    expect(owner.body.account).toMatchObject({ id: created.body.ownerId, group: 'globex', roles: ['admin'] });

    // The same address registers in the root group as an account of its own, mailed its own link.
    const other = await call('POST', '/auth/default/accounts', { json: { email, password } });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(created.body.ownerId);
    expectGroupLink(await mailTo(email, /Confirm your email/), '/verify-email', 'default');
  });
});

describe('exampleGroups: how the demo is asked for multi-group mode', () => {
  it('reads GROUPS, LATCHKEY_GROUPS (bash drops a bare GROUPS=1 prefix) or the --groups flag', () => {
    const argv = ['node', 'server.ts'];
    expect(exampleGroups({ GROUPS: '1' }, argv)).toBe(true);
    expect(exampleGroups({ GROUPS: 'true' }, argv)).toBe(true);
    expect(exampleGroups({ LATCHKEY_GROUPS: '1' }, argv)).toBe(true);
    expect(exampleGroups({}, [...argv, '--groups'])).toBe(true);
    expect(exampleGroups({}, argv)).toBe(false);
    expect(exampleGroups({ GROUPS: '0' }, argv)).toBe(false);
  });
});
