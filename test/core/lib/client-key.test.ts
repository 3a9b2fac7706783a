import { describe, expect, it } from 'vitest';
import { clientKey } from '../../../src/core/lib/client-key.js';

describe('clientKey', () => {
  it('keeps IPv4 addresses as they are', () => {
    expect(clientKey('203.0.113.9', 64)).toBe('203.0.113.9');
  });

  it('maps IPv4-mapped IPv6 addresses to the IPv4 address they carry, in either form', () => {
    expect(clientKey('::ffff:203.0.113.9', 64)).toBe('203.0.113.9');
    expect(clientKey('::FFFF:cb00:7109', 64)).toBe('203.0.113.9');
    expect(clientKey('0:0:0:0:0:ffff:203.0.113.9', 48)).toBe('203.0.113.9');
  });

  it('keys IPv6 addresses by their /64 network: an attacker rotating inside one subscriber network is one client', () => {
    const a = clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64);
    const b = clientKey('2001:0db8:0001:0002::1', 64);
    const c = clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff', 64);
    expect(a).toBe('2001:db8:1:2::/64');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(clientKey('2001:db8:1:3::1', 64)).not.toBe(a);
  });

  it('honours another prefix length, also one that splits a group', () => {
    expect(clientKey('2001:db8:1:2::1', 48)).toBe('2001:db8:1::/48');
    expect(clientKey('2001:db8:1:2ff::1', 56)).toBe('2001:db8:1:200::/56');
    expect(clientKey('2001:db8::1', 128)).toBe('2001:db8::1/128');
  });

  it('writes the network in RFC 5952 form and ignores a zone id', () => {
    expect(clientKey('fe80::1%eth0', 64)).toBe('fe80::/64');
    expect(clientKey('2001:0:0:1::5', 64)).toBe('2001:0:0:1::/64');
  });

  it('leaves anything that is not an address as it is', () => {
    expect(clientKey('not an address', 64)).toBe('not an address');
    expect(clientKey('1:2:3', 64)).toBe('1:2:3');
  });
});
