import { inRange, parseCidr, parseIp } from '../core/lib/ip-address.js';

/**
 * Which proxies in front of the app are trusted to say who the client is (`X-Forwarded-For`):
 * - `false` (default): none; the socket address is the client;
 * - `true` or a number `n`: the `n` hops nearest the app are proxies you run (`true` is 1), so the
 *   client is the `n`-th address counting back from the socket;
 * - a list of addresses and CIDRs (`['10.0.0.0/8', '2001:db8::/32']`): every hop, from the socket
 *   back, that lies in the list is a proxy; the first one that does not is the client. A socket
 *   address outside the list means no proxy was involved, and the header is ignored.
 */
export type TrustProxy = boolean | number | readonly string[];

/**
 * The client address under `trust` (see {@link TrustProxy}). IPv4-mapped IPv6 addresses are judged
 * as the IPv4 address they carry. An entry at the chosen hop that is not a bare address (a name, a
 * port, garbage) is not trusted: the nearest address known to be good is used instead.
 *
 * @throws TypeError when `trust` is a negative or fractional number, or lists something that is not an
 *   address or CIDR (say it at start-up: {@link assertTrustProxy})
 * @example
 * ```ts
 * clientIp('198.51.100.7, 203.0.113.9', '10.0.0.2', 2)              // '198.51.100.7'
 * clientIp('198.51.100.7, 10.0.0.9', '10.0.0.2', ['10.0.0.0/8'])    // '198.51.100.7'
 * clientIp('198.51.100.7', '203.0.113.50', ['10.0.0.0/8'])          // '203.0.113.50': not via a proxy
 * ```
 */
export function clientIp(header: string | null | undefined, socketIp: string | null, trust: TrustProxy | undefined): string | null {
  if (!trust) return socketIp;
  // From the socket back: the socket, then X-Forwarded-For right to left.
  const entries = header ? header.split(',').map((entry) => entry.trim()) : [];
  const hops = [socketIp, ...entries.reverse()];
  if (typeof trust !== 'object') {
    const count = trust === true ? 1 : hopCount(trust);
    for (let i = Math.min(count, hops.length - 1); i > 0; i--) if (isIpAddress(hops[i]!)) return hops[i]!;
    return socketIp;
  }
  const trusted = trustedRanges(trust);
  let client = socketIp;
  for (let i = 0; i < hops.length - 1; i++) {
    const hop = hops[i];
    if (!hop || !isTrusted(hop, trusted)) break;
    const next = hops[i + 1]!;
    if (!isIpAddress(next)) break;
    client = next;
  }
  return client;
}

/**
 * Checks a {@link TrustProxy} setting, so that a typo fails at start-up rather than on the first request.
 *
 * @throws TypeError as {@link clientIp}
 */
export function assertTrustProxy(trust: TrustProxy | undefined): void {
  if (typeof trust === 'number') hopCount(trust);
  else if (typeof trust === 'object') trustedRanges(trust);
}

function hopCount(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`trustProxy: ${value} is not a number of hops`);
  return value;
}

const rangeCache = new WeakMap<readonly string[], Array<{ bytes: Uint8Array; prefix: number }>>();

function trustedRanges(list: readonly string[]): Array<{ bytes: Uint8Array; prefix: number }> {
  const cached = rangeCache.get(list);
  if (cached) return cached;
  const parsed = list.map((entry) => {
    const range = parseCidr(entry.trim());
    if (!range) throw new TypeError(`trustProxy: "${entry}" is not an IP address or CIDR`);
    return range;
  });
  rangeCache.set(list, parsed);
  return parsed;
}

function isTrusted(address: string, ranges: Array<{ bytes: Uint8Array; prefix: number }>): boolean {
  const bytes = isIpAddress(address) ? parseIp(address) : null;
  if (!bytes) return false;
  const mapped = bytes.length === 16 && bytes.slice(0, 12).every((b, i) => b === (i < 10 ? 0 : 0xff));
  const effective = mapped ? bytes.slice(12) : bytes;
  return ranges.some((range) => inRange(effective, range) || inRange(bytes, range));
}

const IPV4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** Dotted-quad IPv4 without leading zeros (`203.0.113.9`). */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/**
 * An IPv6 address in RFC 4291 text form: eight groups of 1–4 hex digits, one `::` for a run of zero
 * groups, and optionally a dotted IPv4 address as the last 32 bits (`::ffff:192.0.2.1`). No zone id
 * (`%eth0`) and no brackets.
 */
export function isIpv6(value: string): boolean {
  if (value.length < 2 || value.length > 45) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const last = halves.length === 2 ? tail : head;
  let slots = head.length + tail.length;
  if (last.length > 0 && last.at(-1)!.includes('.')) {
    if (!isIpv4(last.pop()!)) return false;
    slots += 1; // the IPv4 tail fills two 16-bit groups
  }
  if (![...head, ...tail].every((group) => HEX_GROUP.test(group))) return false;
  return halves.length === 2 ? slots <= 7 : slots === 8;
}

/** An IPv4 or IPv6 address, as `node:net`'s `isIP` would accept it (without zone ids). */
export function isIpAddress(value: string): boolean {
  return isIpv4(value) || isIpv6(value);
}
