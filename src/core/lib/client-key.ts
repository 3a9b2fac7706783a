/**
 * The key a client is throttled under: an IPv4 address as it is, an IPv4-mapped IPv6 address
 * (`::ffff:203.0.113.9`) as the IPv4 address it carries, and any other IPv6 address as its network
 * prefix (`2001:db8:1:2::/64` for the default 64 bits). One subscriber is usually handed a whole /64,
 * so keying by the full address would give a single attacker 2^64 fresh budgets. Anything that is not
 * an address (a test's label, a proxy's name) is used as it is.
 *
 * Runtime-neutral (no `node:net`): the core also runs on Workers, Deno and Bun.
 *
 * @example
 * ```ts
 * clientKey('2001:db8:1:2:aaaa::1', 64)  // '2001:db8:1:2::/64'
 * clientKey('::ffff:203.0.113.9', 64)    // '203.0.113.9'
 * ```
 */
export function clientKey(ip: string, ipv6Prefix: number): string {
  const address = ip.trim().toLowerCase();
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  const masked = groups.map((group, index) => {
    const bitsBefore = index * 16;
    if (bitsBefore >= ipv6Prefix) return 0;
    const keep = Math.min(16, ipv6Prefix - bitsBefore);
    return group & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${compressIpv6(masked)}/${ipv6Prefix}`;
}

/** The eight 16-bit groups of an IPv6 address (with an optional dotted IPv4 tail), or null. */
function expandIpv6(address: string): number[] | null {
  const zoneless = address.split('%')[0]!;
  const halves = zoneless.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    for (const part of half.split(':')) {
      if (part.includes('.')) {
        const octets = part.split('.').map(Number);
        if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return null;
        out.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(part)) return null;
        out.push(parseInt(part, 16));
      }
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** RFC 5952 text: the longest run of two or more zero groups becomes `::`. */
function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
