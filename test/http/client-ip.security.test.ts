import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientIp, isIpAddress } from '../../src/http/client-ip.js';

const forwardedClientIp = (header: string | null | undefined, socketIp: string | null) => clientIp(header, socketIp, true);
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { createTestAuth, PASSWORD } from '../core/helpers.js';

describe('clientIp behind one trusted proxy (trustProxy: true)', () => {
  it('takes the rightmost X-Forwarded-For entry: the one the trusted proxy appended', () => {
    expect(forwardedClientIp('203.0.113.9', '10.0.0.2')).toBe('203.0.113.9');
    expect(forwardedClientIp('10.9.0.1, 203.0.113.9', '10.0.0.2')).toBe('203.0.113.9');
    expect(forwardedClientIp('1.1.1.1,2.2.2.2 ,  203.0.113.9 ', '10.0.0.2')).toBe('203.0.113.9');
    expect(forwardedClientIp('spoofed, 2001:db8::1', '10.0.0.2')).toBe('2001:db8::1');
  });

  it('falls back to the socket address when the rightmost entry is not a bare IP address', () => {
    const untrusted = [undefined, null, '', ' ', '1.2.3.4, ', 'unknown', '203.0.113.9:443', '[2001:db8::1]'];
    for (const header of [...untrusted, 'evil.example', '1.2.3.4, 256.1.1.1', '1.2.3.4 5.6.7.8']) {
      expect(forwardedClientIp(header, '10.0.0.2'), String(header)).toBe('10.0.0.2');
    }
    expect(forwardedClientIp('garbage', null)).toBeNull();
  });

  it('with a hop count, takes the address the outermost of the n proxies appended', () => {
    expect(clientIp('198.51.100.7, 203.0.113.9', '10.0.0.2', 2)).toBe('198.51.100.7');
    expect(clientIp('spoofed, 198.51.100.7, 203.0.113.9', '10.0.0.2', 2)).toBe('198.51.100.7');
    expect(clientIp('198.51.100.7, 203.0.113.9', '10.0.0.2', 1)).toBe('203.0.113.9');
    expect(clientIp('198.51.100.7, 203.0.113.9', '10.0.0.2', 0)).toBe('10.0.0.2');
    // Fewer entries than proxies (a request that skipped the outer one): the furthest address seen.
    expect(clientIp('203.0.113.9', '10.0.0.2', 3)).toBe('203.0.113.9');
    // Garbage at the chosen hop is never trusted: the nearest good address instead.
    expect(clientIp('evil.example, 203.0.113.9', '10.0.0.2', 2)).toBe('203.0.113.9');
    expect(() => clientIp('1.2.3.4', '10.0.0.2', -1)).toThrow(TypeError);
    expect(() => clientIp('1.2.3.4', '10.0.0.2', 1.5)).toThrow(TypeError);
  });

  it('with trusted CIDRs, walks back past the proxies only; a socket outside them is the client', () => {
    const proxies = ['10.0.0.0/8', '2001:db8:ffff::/48'];
    expect(clientIp('198.51.100.7, 10.0.0.9', '10.0.0.2', proxies)).toBe('198.51.100.7');
    expect(clientIp('spoofed, 1.1.1.1, 198.51.100.7, 10.0.0.9', '10.0.0.2', proxies)).toBe('198.51.100.7');
    // The attacker talks to the app directly and forges the header: ignored.
    expect(clientIp('10.0.0.5, 198.51.100.7', '203.0.113.50', proxies)).toBe('203.0.113.50');
    // A client that claims to be a trusted proxy is still only what the proxy saw.
    expect(clientIp('198.51.100.7', '::ffff:10.0.0.2', proxies)).toBe('198.51.100.7');
    expect(clientIp('2001:db8:1::5', '2001:db8:ffff::1', proxies)).toBe('2001:db8:1::5');
    expect(clientIp('garbage', '10.0.0.2', proxies)).toBe('10.0.0.2');
    expect(clientIp(null, '10.0.0.2', proxies)).toBe('10.0.0.2');
    expect(() => clientIp('1.2.3.4', '10.0.0.2', ['10.0.0.0/33'])).toThrow(TypeError);
    expect(() => createFetchHandler(createTestAuth().auth, { trustProxy: ['nonsense'] })).toThrow(TypeError);
  });

  it('accepts exactly what node:net accepts (zone ids aside)', () => {
    const samples = [
      '0.0.0.0', '255.255.255.255', '203.0.113.9', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1..2.3',
      ' 1.2.3.4', '1.2.3.4 ', '::', '::1', '1::', '2001:db8::1', '2001:0db8:0000:0000:0000:ff00:0042:8329',
      '2001:db8:0:0:0:0:2:1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', ':::', ':1', '1:',
      '::ffff:192.0.2.1', '::ffff:192.0.2.256', '64:ff9b::192.0.2.33', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4',
      '1.2.3.4::', '1.2.3.4::1', '::1.2.3.4', 'fe80::1ff:fe23:4567:890a', 'gggg::1', '12345::1', 'FE80::ABCD',
      '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4::5:6:7:8', '', 'localhost', '1.2.3.4/24', '[::1]',
    ];
    for (const sample of samples) expect(isIpAddress(sample), sample).toBe(isIP(sample) !== 0);
  });
});

describe('fetch handler with trustProxy: a spoofed X-Forwarded-For buys nothing', () => {
  const attempt = (handler: ReturnType<typeof createFetchHandler>, i: number, forwardedFor: string) =>
    handler(
      new Request('http://localhost/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ email: `u${i}@example.com`, password: 'guess-guess' }),
      }),
      { ip: '10.0.0.2' },
    );

  it('the per-IP login limit counts the address the proxy saw, whatever the client prepends', async () => {
    const t = createTestAuth({ throttle: { loginPerIp: { points: 3, durationSeconds: 900 } } });
    const handler = createFetchHandler(t.auth, { trustProxy: true });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(handler, i, `10.9.${i}.1, 203.0.113.9`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    // Another real client, behind the same proxy, is not affected.
    expect((await attempt(handler, 9, '198.51.100.7')).status).toBe(401);
  });

  it('a malformed rightmost entry is counted against the socket address, not a fresh key per value', async () => {
    const t = createTestAuth({ throttle: { loginPerIp: { points: 3, durationSeconds: 900 } } });
    const handler = createFetchHandler(t.auth, { trustProxy: true });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(handler, i, `203.0.113.9, junk-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('the login history records the proxy-appended address', async () => {
    const t = createTestAuth();
    const handler = createFetchHandler(t.auth, { trustProxy: true });
    const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await handler(
      new Request('http://localhost/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '6.6.6.6, 203.0.113.9' },
        body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD }),
      }),
      { ip: '10.0.0.2' },
    );
    const { data } = await t.storage.loginAttempts.listByAccount('default', account.id, { limit: 10 });
    expect(data.map((a) => a.ip)).toEqual(['203.0.113.9']);
  });

  it('without trustProxy the header is ignored', async () => {
    const t = createTestAuth({ throttle: { loginPerIp: { points: 2, durationSeconds: 900 } } });
    const handler = createFetchHandler(t.auth);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(handler, i, `203.0.113.${i}`)).status);
    expect(statuses).toEqual([401, 401, 429]);
  });
});
