import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hibpPasswordPolicy } from '../../../src/adapters/password-policy/hibp.js';
import type { Logger, PasswordCheckContext } from '../../../src/index.js';
import { createTestAuth, expectAuthError } from '../../core/helpers.js';

const BREACHED = 'correct horse battery staple';
const RARE = 'seen once in a breach';
const CLEAN = 'a passphrase nobody has leaked';
/** Its suffix appears in the answer, but only as padding (count 0). */
const PADDED = 'only ever seen as padding';

const sha1 = (password: string) => createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
const BREACH_COUNTS = new Map([
  [sha1(BREACHED), 3_861_493],
  [sha1(RARE), 1],
]);

interface SeenRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the stub does with the next requests. */
let mode: 'answer' | 'fail' | 'slow' = 'answer';
const seen: SeenRequest[] = [];
let server: Server;
let baseUrl: string;

/** A Pwned Passwords range endpoint: the breached suffixes of the prefix, with padding entries of count 0. */
function rangeAnswer(prefix: string): string {
  const lines = [...BREACH_COUNTS].filter(([hash]) => hash.startsWith(prefix)).map(([hash, count]) => `${hash.slice(5)}:${count}`);
  if (sha1(PADDED).startsWith(prefix)) lines.push(`${sha1(PADDED).slice(5)}:0`);
  for (let i = 0; i < 200; i += 1) lines.push(`${randomBytes(18).toString('hex').slice(0, 35).toUpperCase()}:0`);
  return lines.sort().join('\r\n');
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ url: request.url ?? '', headers: request.headers, body });
      const match = /^\/range\/([0-9A-F]{5})$/.exec(request.url ?? '');
      if (mode === 'fail' || !match) {
        response.writeHead(mode === 'fail' ? 500 : 404).end();
      } else if (mode === 'slow') {
        setTimeout(() => response.writeHead(200).end(rangeAnswer(match[1]!)), 1000).unref();
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(rangeAnswer(match[1]!));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  mode = 'answer';
  seen.length = 0;
});

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: object) =>
    void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function context(logger: Logger = capturingLogger()): PasswordCheckContext {
  return { operation: 'register', group: 'default', email: 'ada@example.com', logger };
}

describe('hibpPasswordPolicy', () => {
  it('refuses a breached password and accepts one not in the answer', async () => {
    const policy = hibpPasswordPolicy({ baseUrl });
    await expect(policy.check(BREACHED, context())).resolves.toEqual({
      ok: false,
      reason: 'breached',
      message: 'has appeared in a data breach',
    });
    await expect(policy.check(RARE, context())).resolves.toMatchObject({ ok: false, reason: 'breached' });
    await expect(policy.check(CLEAN, context())).resolves.toEqual({ ok: true });
  });

  it('sends only the 5-character hash prefix, with Add-Padding, never the password or the rest of the hash', async () => {
    const policy = hibpPasswordPolicy({ baseUrl });
    await policy.check(BREACHED, context());
    await policy.check(CLEAN, context());
    expect(seen.map((r) => r.url)).toEqual([`/range/${sha1(BREACHED).slice(0, 5)}`, `/range/${sha1(CLEAN).slice(0, 5)}`]);
    for (const request of seen) expect(request.headers['add-padding']).toBe('true');
    const everything = JSON.stringify(seen).toUpperCase();
    for (const password of [BREACHED, CLEAN]) {
      expect(everything).not.toContain(password.toUpperCase());
      expect(everything).not.toContain(sha1(password).slice(5));
      expect(everything).not.toContain(sha1(password).slice(0, 6));
    }
  });

  it('ignores padding entries (count 0), even one that equals the suffix', async () => {
    expect(rangeAnswer(sha1(PADDED).slice(0, 5))).toContain(`${sha1(PADDED).slice(5)}:0`);
    await expect(hibpPasswordPolicy({ baseUrl }).check(PADDED, context())).resolves.toEqual({ ok: true });
  });

  it('refuses only from `minBreachCount` sightings on', async () => {
    const policy = hibpPasswordPolicy({ baseUrl, minBreachCount: 10 });
    await expect(policy.check(RARE, context())).resolves.toEqual({ ok: true });
    await expect(policy.check(BREACHED, context())).resolves.toMatchObject({ ok: false, reason: 'breached' });
  });

  it('accepts a base URL with a trailing slash', async () => {
    await expect(hibpPasswordPolicy({ baseUrl: `${baseUrl}/` }).check(BREACHED, context())).resolves.toMatchObject({ ok: false });
    expect(seen[0]!.url).toBe(`/range/${sha1(BREACHED).slice(0, 5)}`);
  });

  describe.each([
    ['a 500', 'fail', {}, 'status 500'],
    ['a timeout', 'slow', { timeout: 100 }, 'timeout'],
  ] as const)('on %s', (_, stubMode, options, logged) => {
    it('allows the password by default, and logs why (never the password or the prefix)', async () => {
      mode = stubMode;
      const logger = capturingLogger();
      const started = Date.now();
      await expect(hibpPasswordPolicy({ baseUrl, ...options }).check(BREACHED, context(logger))).resolves.toEqual({ ok: true });
      expect(Date.now() - started).toBeLessThan(900);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toMatch(/^warn breached-password check failed: password allowed/);
      expect(logger.lines[0]).toContain(logged);
      expect(logger.lines[0]).not.toContain(BREACHED);
      expect(logger.lines[0]).not.toContain(sha1(BREACHED).slice(0, 5));
    });

    it("refuses it with `onError: 'refuse'`", async () => {
      mode = stubMode;
      const logger = capturingLogger();
      const policy = hibpPasswordPolicy({ baseUrl, onError: 'refuse', ...options });
      await expect(policy.check(CLEAN, context(logger))).resolves.toEqual({
        ok: false,
        reason: 'unavailable',
        message: 'could not be checked against known data breaches; try again later',
      });
      expect(logger.lines[0]).toMatch(/^warn breached-password check failed: password refused/);
    });
  });

  it('treats an unreachable service as an error (logged by its code)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const logger = capturingLogger();
    const policy = hibpPasswordPolicy({ baseUrl: `http://127.0.0.1:${port}`, onError: 'refuse' });
    await expect(policy.check(CLEAN, context(logger))).resolves.toMatchObject({ ok: false, reason: 'unavailable' });
    expect(logger.lines[0]).toContain('ECONNREFUSED');
  });

  it('refuses bad options at construction', () => {
    expect(() => hibpPasswordPolicy({ baseUrl: 'ftp://example.com' })).toThrow(TypeError);
    expect(() => hibpPasswordPolicy({ baseUrl: 'not a url' })).toThrow(TypeError);
    expect(() => hibpPasswordPolicy({ timeout: 0 })).toThrow(RangeError);
    expect(() => hibpPasswordPolicy({ minBreachCount: 0 })).toThrow(RangeError);
  });

  it('refuses a breached password at registration through createAuth', async () => {
    const test = createTestAuth({ passwordPolicy: hibpPasswordPolicy({ baseUrl }) });
    const error = await expectAuthError(test.auth.register({ email: 'ada@example.com', password: BREACHED }), 'validation_failed');
    expect(error.message).toBe('The password has appeared in a data breach.');
    expect(error.details).toEqual([{ path: 'password', message: 'has appeared in a data breach' }]);
    await expect(test.auth.register({ email: 'ada@example.com', password: CLEAN })).resolves.toBeDefined();
  });
});
