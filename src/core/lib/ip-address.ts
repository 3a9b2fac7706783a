/**
 * @internal IP address parsing, CIDR ranges, and the address ranges a webhook must never reach: for
 * the webhook URL policy and sender, and for the trusted proxies of the HTTP layer. Written out rather than taken from node:net so the rules are the same everywhere and
 * IPv4 embedded in IPv6 (mapped, NAT64, 6to4) is judged as the IPv4 address it reaches.
 */

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

interface Range {
  bytes: IpBytes;
  prefix: number;
  label: string;
}

/** `'10.0.0.1'`, `'::1'`, `'[::1]'` or `'fe80::1%eth0'` as bytes; null when it is not an IP address. */
export function parseIp(text: string): IpBytes | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return parseIpv4(bare) ?? parseIpv6(bare);
}

function parseIpv4(text: string): IpBytes | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? new Uint8Array(parts) : null;
}

function parseIpv6(text: string): IpBytes | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string | undefined): number[] | null => {
    if (!half) return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      const v4 = i === parts.length - 1 && part.includes('.') ? parseIpv4(part) : null;
      if (v4) out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** A CIDR (`'10.0.0.0/8'`, `'fc00::/7'`) or a single address (a /32 or /128); null when it is neither. */
export function parseCidr(text: string): { bytes: IpBytes; prefix: number } | null {
  const [address, prefixText, extra] = text.split('/');
  const bytes = parseIp(address ?? '');
  if (!bytes || extra !== undefined) return null;
  const max = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { bytes, prefix: Number(prefixText) };
}

/** Whether `address` lies in `range` (both the same family). */
export function inRange(address: IpBytes, range: { bytes: IpBytes; prefix: number }): boolean {
  if (address.length !== range.bytes.length) return false;
  for (let bit = 0; bit < range.prefix; bit += 8) {
    const take = Math.min(8, range.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((address[bit / 8]! & mask) !== (range.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

function ranges(list: [string, string][]): Range[] {
  return list.map(([cidr, label]) => ({ ...parseCidr(cidr)!, label }));
}

// Most specific first, so the label names the narrowest match (the metadata address before link-local).
const IPV4: Range[] = ranges([
  ['169.254.169.254/32', 'cloud metadata'],
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

const IPV6: Range[] = ranges([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['64:ff9b:1::/48', 'reserved'],
  ['100::/64', 'reserved'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);

/** IPv6 prefixes that carry an IPv4 address, and where: mapped, NAT64, IPv4-compatible, 6to4. */
const EMBEDDING: { range: Range; offset: number }[] = [
  { range: ranges([['::ffff:0:0/96', '']])[0]!, offset: 12 },
  { range: ranges([['64:ff9b::/96', '']])[0]!, offset: 12 },
  { range: ranges([['::/96', '']])[0]!, offset: 12 },
  { range: ranges([['2002::/16', '']])[0]!, offset: 2 },
];

/** The IPv4 address an IPv6 address reaches (mapped, NAT64, compatible, 6to4), else the address itself. */
export function effectiveAddress(address: IpBytes): IpBytes {
  if (address.length === 4) return address;
  for (const { range, offset } of EMBEDDING) {
    if (inRange(address, range)) return address.slice(offset, offset + 4);
  }
  return address;
}

/**
 * Why a webhook must not be sent to this address (`'loopback'`, `'private'`, `'cloud metadata'` …),
 * or null when it is a public address. Embedded IPv4 is judged as IPv4; the unspecified and loopback
 * IPv6 addresses are caught before they would read as IPv4-compatible `0.0.0.0` and `0.0.0.1`.
 */
export function forbiddenRange(address: IpBytes): string | null {
  if (address.length === 16) {
    const own = IPV6.find((range) => inRange(address, range));
    if (own) return own.label;
  }
  const effective = effectiveAddress(address);
  const table = effective.length === 4 ? IPV4 : IPV6;
  return table.find((range) => inRange(effective, range))?.label ?? null;
}
