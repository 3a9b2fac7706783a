import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isForbiddenAddress } from '../../../src/adapters/webhooks/url-policy.js';

const dev = { production: false };
const prod = { production: true };
const reason = (url: string, options: Parameters<typeof checkWebhookUrl>[1] = dev) => {
  const check = checkWebhookUrl(url, options);
  return check.ok ? null : check.reason;
};

describe('checkWebhookUrl', () => {
  it('accepts public http(s) URLs on any port, and returns the parsed URL', () => {
    const check = checkWebhookUrl('https://Hooks.Example.com:8443/latchkey?tenant=1', prod);
    expect(check).toMatchObject({ ok: true });
    expect(check.ok && check.url.href).toBe('https://hooks.example.com:8443/latchkey?tenant=1');
    expect(reason('http://hooks.example.com/')).toBeNull();
    expect(reason('https://93.184.215.14/')).toBeNull();
    expect(reason('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/')).toBeNull();
  });

  it('takes http(s) only, and https only in production', () => {
    expect(reason('http://hooks.example.com/', prod)).toBe('https is required in production');
    for (const url of ['ftp://hooks.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://h/', 'data:,x']) {
      expect(reason(url), url).toBe('only http and https URLs are allowed');
    }
    expect(reason('hooks.example.com/x')).toBe('not a valid URL');
    expect(reason('')).toBe('not a valid URL');
  });

  it('refuses credentials and fragments', () => {
    expect(reason('https://user:pass@hooks.example.com/')).toBe('credentials in the URL are not allowed');
    expect(reason('https://user@hooks.example.com/')).toBe('credentials in the URL are not allowed');
    expect(reason('https://hooks.example.com/#x')).toBe('a fragment is not allowed');
    expect(reason('https://hooks.example.com/#')).toBe('a fragment is not allowed');
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1.2.3:8080/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[64:ff9b::7f00:1]/', 'loopback'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://[2002:c0a8:101::]/', 'private'], // 6to4 of 192.168.1.1
    ['http://100.64.0.1/', 'shared (CGNAT)'],
    ['http://100.100.100.200/', 'shared (CGNAT)'], // Alibaba Cloud metadata
    ['http://169.254.1.1/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[febf::1]/', 'link-local'],
    ['http://[fc00::1]/', 'unique-local'],
    ['http://[fdff::1]/', 'unique-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://169.254.169.254/latest/meta-data', 'cloud metadata'],
    ['http://[::ffff:169.254.169.254]/', 'cloud metadata'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
  ])('refuses %s (%s)', (url, range) => {
    expect(reason(url)).toBe(`the host is a ${range} address`);
  });

  it('refuses localhost and its subdomains', () => {
    for (const url of ['http://localhost/', 'http://LOCALHOST:3000/', 'http://localhost./', 'http://api.localhost/']) {
      expect(reason(url), url).toBe('localhost is not allowed');
    }
    expect(reason('http://localhost.example.com/')).toBeNull();
    expect(reason('http://mylocalhost/')).toBeNull();
  });

  it('lets the allow-list permit addresses, ranges and names', () => {
    expect(reason('http://127.0.0.1:3000/', { ...dev, allow: ['127.0.0.1'] })).toBeNull();
    expect(reason('http://[::ffff:127.0.0.1]/', { ...dev, allow: ['127.0.0.1'] })).toBeNull();
    expect(reason('http://127.0.0.2/', { ...dev, allow: ['127.0.0.1'] })).toBe('the host is a loopback address');
    expect(reason('http://10.20.3.4/', { ...dev, allow: ['10.20.0.0/16'] })).toBeNull();
    expect(reason('http://10.21.3.4/', { ...dev, allow: ['10.20.0.0/16'] })).toBe('the host is a private address');
    expect(reason('http://[fd12::1]/', { ...dev, allow: ['fd12::/16'] })).toBeNull();
    expect(reason('http://localhost:3000/', { ...dev, allow: ['localhost'] })).toBeNull();
    expect(reason('http://api.localhost/', { ...dev, allow: ['*.localhost'] })).toBeNull();
    expect(reason('http://localhost/', { ...dev, allow: ['*.localhost'] })).toBe('localhost is not allowed');
    // The allow-list does not lift the scheme rules.
    expect(reason('http://127.0.0.1/', { ...prod, allow: ['127.0.0.1'] })).toBe('https is required in production');
  });
});

describe('isForbiddenAddress', () => {
  it('judges resolved addresses by the same ranges', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '172.20.0.1', '192.168.0.10', '100.64.1.1', '169.254.169.254', '0.0.0.0', '255.255.255.255', '239.1.1.1']) {
      expect(isForbiddenAddress(ip, []), ip).toBe(true);
    }
    for (const ip of ['::1', '::', 'fe80::1%eth0', 'fc00::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', 'ff05::2', '::127.0.0.1']) {
      expect(isForbiddenAddress(ip, []), ip).toBe(true);
    }
    for (const ip of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:db8::1']) {
      expect(isForbiddenAddress(ip, []), ip).toBe(false);
    }
  });

  it('refuses anything that is not an IP address', () => {
    for (const ip of ['', 'localhost', '1.2.3', '256.1.1.1', '1:2:3:4:5:6:7:8:9', '::1::', 'example.com']) {
      expect(isForbiddenAddress(ip, []), ip).toBe(true);
    }
  });

  it('honours IP and CIDR entries of the allow-list, not hostname entries', () => {
    expect(isForbiddenAddress('127.0.0.1', ['127.0.0.1'])).toBe(false);
    expect(isForbiddenAddress('::ffff:127.0.0.1', ['127.0.0.1'])).toBe(false);
    expect(isForbiddenAddress('10.9.8.7', ['10.0.0.0/8'])).toBe(false);
    expect(isForbiddenAddress('::1', ['::1'])).toBe(false);
    expect(isForbiddenAddress('127.0.0.1', ['localhost'])).toBe(true);
    expect(isForbiddenAddress('127.0.0.1', ['10.0.0.0/8'])).toBe(true);
  });
});
