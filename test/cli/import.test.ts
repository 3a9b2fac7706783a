import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE, main } from '../../src/cli/main.js';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { createTestAuth, PASSWORD, type TestAuth } from '../core/helpers.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** `latchkey …` in-process: the exit code and everything it printed. */
async function latchkey(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line), env });
  return { code, stdout, stderr };
}

describe('latchkey import, against a real server', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let t: TestAuth;
  let token: string;
  /** Statuses the server answers the next import calls with before letting them through (429, 503). */
  const refusals: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-import-'));
    t = createTestAuth();
    const handler = createFetchHandler(t.auth);
    server = await new Promise<Server>((resolve) => {
      const fetch = (request: Request) => {
        const status = new URL(request.url).pathname.endsWith('/accounts/import') ? refusals.shift() : undefined;
        if (status === undefined) return handler(request, { ip: '127.0.0.1' });
        return new Response(JSON.stringify({ error: { code: status === 429 ? 'rate_limited' : 'unavailable', message: 'Later.' } }), {
          status,
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
        });
      };
      const started = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started as Server),
      );
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth`;
    await t.auth.register({ email: 'admin@example.com', password: PASSWORD });
    await t.auth.grantRole({ email: 'admin@example.com', role: 'admin' });
    token = (await t.auth.login({ email: 'admin@example.com', password: PASSWORD })).accessToken;
  });

  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await rm(dir, { recursive: true, force: true });
  });

  const emailOf = async (email: string) => t.storage.accounts.findByEmail('default', email);

  it('imports a CSV with RFC 4180 quoting, and lists the bad rows with their line numbers', async () => {
    const file = join(dir, 'accounts.csv');
    await writeFile(
      file,
      [
        'email,first,last,roles,passwordHash',
        'ada@csv.example.com,Ada,"Lovelace, Countess",admin,',
        '"grace@csv.example.com","Grace ""Amazing""","Hop',
        'per",,',
        'not-an-email,Bad,Row,,',
        'ADA@csv.example.com,Dup,,,',
        'eve@csv.example.com,Eve,,owner,',
        '',
        'bob@csv.example.com,Bob,,admin;admin,',
      ].join('\r\n') + '\r\n',
    );
    const run = await latchkey(['import', '--url', base, file], { LATCHKEY_TOKEN: token });
    expect(run.code, run.stderr.join('\n')).toBe(1);
    expect(run.stderr.at(-1)).toBe('Imported: attempted 6, ok 3, failed 3');
    expect(run.stdout.map((l) => JSON.parse(l) as { line: number; code: string })).toEqual([
      { line: 5, email: 'not-an-email', code: 'validation_failed', message: 'The email address is not valid.' },
      { line: 6, email: 'ADA@csv.example.com', code: 'conflict', message: 'Row 0 has the same email address.' },
      { line: 7, email: 'eve@csv.example.com', code: 'forbidden', message: 'You cannot grant the role "owner": you do not hold it.' },
    ]);
    expect(await emailOf('ada@csv.example.com')).toMatchObject({ lastName: 'Lovelace, Countess', roles: ['admin'], passwordHash: null });
    expect(await emailOf('grace@csv.example.com')).toMatchObject({ firstName: 'Grace "Amazing"', lastName: 'Hop\r\nper' });
    expect(await emailOf('bob@csv.example.com')).toMatchObject({ roles: ['admin'] });
    expect(await emailOf('eve@csv.example.com')).toBeNull();
  });

  it('imports JSON Lines in batches of 1000, and exits 0 when every row went in', async () => {
    const file = join(dir, 'accounts.jsonl');
    const lines = Array.from({ length: 2100 }, (_, i) => JSON.stringify({ email: `user${i}@jsonl.example.com`, name: { first: `U${i}` } }));
    await writeFile(file, lines.join('\n') + '\n');
    const run = await latchkey(['import', '--url', base, file], { LATCHKEY_TOKEN: token });
    expect(run.code, run.stderr.join('\n')).toBe(0);
    expect(run.stdout).toEqual([]);
    expect(run.stderr.filter((l) => l.startsWith('progress: '))).toHaveLength(3);
    expect(run.stderr.at(-1)).toBe('Imported: attempted 2100, ok 2100, failed 0');
    expect(await emailOf('user2099@jsonl.example.com')).not.toBeNull();
  }, 60_000);

  it('sends a batch again after a 429 (waiting Retry-After) and a 503, and gives up after too many', async () => {
    const file = join(dir, 'retried.jsonl');
    await writeFile(file, JSON.stringify({ email: 'retried@jsonl.example.com' }) + '\n');
    refusals.push(429, 503);
    const started = Date.now();
    const run = await latchkey(['import', '--url', base, file], { LATCHKEY_TOKEN: token });
    expect(run.code, run.stderr.join('\n')).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // Retry-After: 1, then a 1 s back-off
    expect(run.stderr.at(-1)).toBe('Imported: attempted 1, ok 1, failed 0');
    expect(await emailOf('retried@jsonl.example.com')).not.toBeNull();

    refusals.push(...Array<number>(20).fill(503));
    const gaveUp = await latchkey(['import', '--url', base, file], { LATCHKEY_TOKEN: token });
    refusals.length = 0;
    expect(gaveUp.code).toBe(1);
    expect(gaveUp.stderr.join('\n')).toContain('the server answered 503');
  }, 60_000);

  it('reports bad JSON lines and server-side failures of a JSONL file', async () => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, ['{"email":"ok@jsonl2.example.com"}', '{not json', '', '{"email":"x@jsonl2.example.com","extra":1}', '[1]'].join('\n'));
    const run = await latchkey(['import', '--url', base, file], { LATCHKEY_TOKEN: token });
    expect(run.code).toBe(1);
    expect(run.stdout.map((l) => [JSON.parse(l).line, JSON.parse(l).code])).toEqual([
      [2, 'validation_failed'],
      [5, 'validation_failed'],
      [4, 'validation_failed'],
    ]);
    expect(run.stderr.at(-1)).toBe('Imported: attempted 4, ok 1, failed 3');
  });

  it('stops with exit 1 on a refused token, and wants the token from the environment only', async () => {
    const file = join(dir, 'one.csv');
    await writeFile(file, 'email\nsomeone@example.com\n');
    const refused = await latchkey(['import', '--url', base, file], { LATCHKEY_TOKEN: 'not-a-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr.join('\n')).toContain('the server answered 401: unauthenticated');
    const missing = await latchkey(['import', '--url', base, file], {});
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr[0]).toContain('LATCHKEY_TOKEN');
    expect(await emailOf('someone@example.com')).toBeNull();
  });
});
