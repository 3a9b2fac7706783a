import { describe, expect, it } from 'vitest';
import type { TestRequestInit } from '../http-client.js';
import {
  bearer,
  BEARER_REQUIRED,
  expectError,
  expectNoLeak,
  type HttpSuiteContext,
  INVALID_BODY,
  PASSWORD,
  signedIn,
  uniqueEmail,
} from './setup.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const NOT_JSON = 'The request body must be JSON (Content-Type: application/json).';
const missing = (path: string) => ({ path, message: 'is required' });
const unknownField = (path: string) => ({ path, message: 'is not a known field' });
const tooSmall = (path: string) => ({ path, message: 'Too small: expected string to have >=1 characters' });
const notObject = (received: string) => [{ path: '', message: `Invalid input: expected object, received ${received}` }];
/** A registration body whose email is `size` characters of local part (the schema allows 320 in all). */
const bigRegistration = (size: number) => ({ body: { email: `${'a'.repeat(size)}@example.com`, password: PASSWORD } });

export function describeValidation(ctx: HttpSuiteContext): void {
  describe('hostile and malformed input', () => {
    it('refuses malformed JSON and a body that is not declared as JSON', async () => {
      const h = await ctx.start();
      const malformed = await h.request('POST', '/auth/login', {
        body: '{"email": "ada@example.com",',
        headers: JSON_HEADERS,
      });
      expectError(malformed, 400, 'validation_failed', 'The request body is not valid JSON.', [
        { path: '', message: 'malformed JSON' },
      ]);
      const body = JSON.stringify({ email: uniqueEmail(), password: PASSWORD });
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await h.request('POST', '/auth/login', { body, headers: { 'content-type': type } });
        expectError(res, 400, 'validation_failed', NOT_JSON, [
          { path: '', message: 'content type must be application/json' },
        ]);
      }
    });

    it('accepts JSON with a charset parameter', async () => {
      const h = await ctx.start();
      const res = await h.request('POST', '/auth/accounts', {
        body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(res.status, res.text).toBe(201);
    });

    it('names missing fields, wrong types and unknown fields', async () => {
      const h = await ctx.start();
      const email = uniqueEmail();
      const cases: [unknown, { path: string; message: string }[]][] = [
        [{}, [missing('email'), missing('password')]],
        [
          { email: 42, password: true },
          [
            { path: 'email', message: 'Invalid input: expected string, received number' },
            { path: 'password', message: 'Invalid input: expected string, received boolean' },
          ],
        ],
        [{ email, password: PASSWORD, admin: true }, [unknownField('admin')]],
        [{ email, password: PASSWORD, name: { middle: 'B.' } }, [unknownField('name.middle')]],
        [{ email: '', password: '' }, [tooSmall('email'), tooSmall('password')]],
      ];
      for (const [body, details] of cases) {
        const res = await h.request('POST', '/auth/accounts', { body });
        expectError(res, 400, 'validation_failed', INVALID_BODY, details);
      }
    });

    it('refuses bodies that are not objects: array, null, string, number', async () => {
      const h = await ctx.start();
      const cases: [string, string][] = [
        ['[]', 'array'],
        ['[{"email":"a@b.co","password":"x"}]', 'array'],
        ['null', 'null'],
        ['"hi"', 'string'],
        ['42', 'number'],
      ];
      for (const [body, received] of cases) {
        const res = await h.request('POST', '/auth/login', { body, headers: JSON_HEADERS });
        expectError(res, 400, 'validation_failed', INVALID_BODY, notObject(received));
      }
    });

    it('answers a huge field with 400 and a body over 64 KiB with 413, never 500', async () => {
      const h = await ctx.start();
      const huge = await h.request('POST', '/auth/accounts', bigRegistration(60_000));
      expectError(huge, 400, 'validation_failed', INVALID_BODY, [
        { path: 'email', message: 'Too big: expected string to have <=320 characters' },
      ]);
      // 70 kB is over latchkey's 64 KiB but under common framework parsers' default (100 kB); 200 kB is over both.
      for (const size of [70_000, 200_000]) {
        const res = await h.request('POST', '/auth/accounts', bigRegistration(size));
        expectError(res, 413, 'payload_too_large', 'The request body is too large.');
      }
      const token = await h.request('POST', '/auth/token/refresh', { body: { refreshToken: 'r'.repeat(5000) } });
      expectError(token, 400, 'validation_failed', INVALID_BODY, [
        { path: 'refreshToken', message: 'Too big: expected string to have <=4096 characters' },
      ]);
      const bigHeader = await h.request('GET', '/auth/account', { headers: bearer('a'.repeat(9000)) });
      expectError(bigHeader, 401, 'unauthenticated', BEARER_REQUIRED);
    });

    it('needs a route’s fields even when the body is empty; a route without input takes an empty body', async () => {
      const h = await ctx.start();
      const logout = await h.request('POST', '/auth/logout');
      expectError(logout, 400, 'validation_failed', INVALID_BODY, [missing('refreshToken')]);
      const { tokens } = await signedIn(h);
      const auth = bearer(tokens.accessToken);
      const empties: TestRequestInit[] = [{}, { body: {} }, { body: '', headers: JSON_HEADERS }];
      for (const init of empties) {
        const res = await h.request('DELETE', '/auth/account/sessions', {
          ...init,
          headers: { ...init.headers, ...auth },
        });
        expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
      }
      const extra = await h.request('DELETE', '/auth/account/sessions', { body: { all: true }, headers: auth });
      expectError(extra, 400, 'validation_failed', INVALID_BODY, [unknownField('all')]);
    });

    it('answers unknown routes with 404 and unknown methods with 405 and Allow', async () => {
      const h = await ctx.start();
      for (const path of ['/auth/nope', '/auth/login/extra', '/auth/account/sessions/a/b', '/auth/acme/login']) {
        expectError(await h.request('POST', path, { body: {} }), 404, 'not_found', 'No such route.');
      }
      const cases = [
        ['PUT', '/auth/login', 'POST'],
        ['GET', '/auth/token/refresh', 'POST'],
        ['POST', '/auth/.well-known/jwks.json', 'GET'],
      ] as const;
      for (const [method, path, allow] of cases) {
        const res = await h.request(method, path, method === 'GET' ? {} : { body: {} });
        expectError(res, 405, 'method_not_allowed', 'This method is not allowed here.');
        expect(res.headers.get('allow')).toBe(allow);
      }
    });

    it('refuses a NUL character anywhere in a body or a query with 400 naming where (never a database 500)', async () => {
      const h = await ctx.start();
      const nul = (path: string) => [{ path, message: 'must not contain NUL characters' }];
      const cases: [string, unknown, { path: string; message: string }[]][] = [
        ['/auth/login', { email: 'a\u0000@example.com', password: 'whatever' }, nul('email')],
        ['/auth/accounts', { email: uniqueEmail(), password: PASSWORD, name: { first: 'a\u0000b' } }, nul('name.first')],
        [
          '/auth/account/unlock',
          { email: uniqueEmail(), recoveryCode: 'x\u0000', newPassword: 'another good pass' },
          nul('recoveryCode'),
        ],
        ['/auth/login/two-factor', { challenge: 'a\u0000', code: '123456' }, nul('challenge')],
        ['/auth/token/refresh', { refreshToken: 'a\u0000' }, nul('refreshToken')],
        ['/auth/password/forgot', { email: '\u0000' }, nul('email')],
        // In a key: reported at the object holding it (here the body itself).
        ['/auth/login', { email: uniqueEmail(), password: PASSWORD, 'x\u0000': 1 }, nul('')],
      ];
      for (const [path, body, details] of cases) {
        expectError(await h.request('POST', path, { body }), 400, 'validation_failed', INVALID_BODY, details);
      }

      const { tokens } = await signedIn(h);
      const auth = bearer(tokens.accessToken);
      const patch = await h.request('PATCH', '/auth/account', {
        body: [{ op: 'replace', path: '/name/first', value: 'Ada\u0000' }],
        headers: { ...auth, 'content-type': 'application/json-patch+json' },
      });
      expectError(patch, 400, 'validation_failed', INVALID_BODY, nul('0.value'));
      const merge = await h.request('PATCH', '/auth/account', { body: { name: { last: '\u0000' } }, headers: auth });
      expectError(merge, 400, 'validation_failed', INVALID_BODY, nul('name.last'));
      const query = await h.request('GET', '/auth/account/logins?cursor=%00', { headers: auth });
      expectError(query, 400, 'validation_failed', 'The query string is not valid.', nul('cursor'));
      expect((await h.request('GET', '/auth/account', { headers: auth })).body.name).toEqual({ first: null, last: null });
    });

    it('answers a path parameter with a NUL (%00) as an unknown resource: 404', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const auth = bearer(tokens.accessToken);
      for (const path of ['/auth/account/sessions/%00', '/auth/account/sessions/ses_a%00b', '/auth/account/otp/sms%00']) {
        expectError(await h.request('DELETE', path, { headers: auth }), 404, 'not_found', 'No such route.');
      }
    });

    it('refuses a page cursor whose time is not a whole number of milliseconds: 400, never 500', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const message = 'The cursor is not one this storage handed out.';
      const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const t of [1.5, 1e300, -0.25, 2 ** 53]) {
        const res = await h.request('GET', `/auth/account/logins?cursor=${cursor({ t, id: 'x' })}`, {
          headers: bearer(tokens.accessToken),
        });
        expectError(res, 400, 'validation_failed', message, [{ path: 'cursor', message }]);
      }
      const nulId = await h.request('GET', `/auth/account/logins?cursor=${cursor({ t: 1, id: 'a\u0000' })}`, {
        headers: bearer(tokens.accessToken),
      });
      expectError(nulId, 400, 'validation_failed', message, [{ path: 'cursor', message }]);
    });

    it('never answers 500 or leaks internals for odd input', async () => {
      const h = await ctx.start();
      const odd: [string, string, TestRequestInit][] = [
        ['POST', '/auth/login', { body: '\u0000\u0001\u0002', headers: JSON_HEADERS }],
        ['POST', '/auth/login', { body: '{"email":{"$gt":""},"password":{"$ne":null}}', headers: JSON_HEADERS }],
        ['POST', '/auth/login', { body: '{"__proto__":{"x":1},"email":"a@b.co"}', headers: JSON_HEADERS }],
        ['POST', '/auth/accounts', { body: { email: 'ada@exa\u0000mple.com', password: PASSWORD } }],
        ['GET', '/auth/account/sessions', { headers: { authorization: 'Bearer ' } }],
        ['DELETE', '/auth/account/sessions/%E0%A4%A', { headers: { authorization: 'Bearer x.y.z' } }],
      ];
      for (const [method, path, init] of odd) {
        const res = await h.request(method, path, init);
        expect(res.status, `${method} ${path}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.body).toHaveProperty('error.code');
        expectNoLeak(res);
      }
    });
  });
}
