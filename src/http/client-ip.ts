/**
 * The client address behind a proxy you run: the *rightmost* `X-Forwarded-For` entry, the one your proxy
 * appended from the connection it received. Everything to its left came from the client and is
 * whatever the client chose to send. An entry that is not a bare IPv4 or IPv6 address (a name, a port,
 * garbage) is not trusted: the socket address is used instead, as when the header is absent.
 *
 * Runtime-neutral (no `node:net`): the fetch handler also runs on Workers, Deno and Bun.
 *
 * @example
 * ```ts
 * forwardedClientIp('10.9.0.1, 203.0.113.9', '10.0.0.2') // '203.0.113.9'
 * forwardedClientIp('203.0.113.9:443', '10.0.0.2')        // '10.0.0.2'
 * ```
 */
export function forwardedClientIp(header: string | null | undefined, socketIp: string | null): string | null {
  const rightmost = header?.split(',').at(-1)?.trim();
  return rightmost && isIpAddress(rightmost) ? rightmost : socketIp;
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
