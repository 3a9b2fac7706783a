import { effectiveAddress, forbiddenRange, inRange, parseCidr, parseIp } from '../../core/lib/ip-address.js';

/**
 * Which webhook URLs may be registered and which addresses may be connected to: the defence against
 * server-side request forgery (an admin, or an attacker holding an admin session, pointing webhooks at
 * the cloud metadata service or at services on the private network).
 */

/**
 * Exceptions to the address rules, for webhooks that really go to a private network or to a local
 * receiver in development. Each entry is one of:
 * - an IP address (`'127.0.0.1'`, `'::1'`) or a CIDR (`'10.20.0.0/16'`): those addresses are allowed,
 *   also when written as IPv4-mapped IPv6;
 * - a hostname (`'localhost'`, `'hooks.internal'`) or a wildcard (`'*.svc.cluster.local'`, its
 *   subdomains only): that name is allowed, and so is every address it resolves to — naming a host
 *   here trusts its DNS.
 */
export type WebhookAllowList = readonly string[];

/** Options of {@link checkWebhookUrl}. */
export interface WebhookUrlPolicyOptions {
  /** In production only `https:` URLs are accepted; elsewhere `http:` is too. */
  production: boolean;
  /** See {@link WebhookAllowList}. Default: none. */
  allow?: WebhookAllowList;
}

/** The outcome of {@link checkWebhookUrl}: the parsed URL, or a short reason to show the admin. */
export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Checks a webhook URL before it is stored and again before each delivery. Syntax only, no DNS: the
 * scheme is http(s) (https in production), there are no credentials and no fragment, and a host that
 * is a literal IP address in a forbidden range (loopback, private, CGNAT, link-local, unique-local,
 * unspecified, multicast, broadcast, reserved, cloud metadata, or IPv4-mapped/NAT64/6to4 IPv6 of those)
 * or `localhost`/`*.localhost` is refused unless `allow` permits it. Hostnames are checked against the
 * addresses they resolve to when sending (see `createWebhookSender`).
 *
 * IPv4 in unusual notations (`http://2130706433/`, `http://0x7f.1/`) is normalised by the URL parser
 * before it is judged, so it cannot slip past as a hostname.
 *
 * @example
 * ```ts
 * const check = checkWebhookUrl(input.url, { production: process.env.NODE_ENV === 'production' })
 * if (!check.ok) throw new AuthError('invalid_input', `Webhook URL refused: ${check.reason}`)
 * store(check.url.href)
 * // checkWebhookUrl('http://169.254.169.254/latest/meta-data', { production: false })
 * //   → { ok: false, reason: 'the host is a cloud metadata address' }
 * ```
 */
export function checkWebhookUrl(url: string, options: WebhookUrlPolicyOptions): WebhookUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, reason: 'only http and https URLs are allowed' };
  }
  if (options.production && parsed.protocol !== 'https:') return { ok: false, reason: 'https is required in production' };
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, reason: 'credentials in the URL are not allowed' };
  // An empty fragment (`…/hook#`) leaves `hash` empty but still serialises; '#' can appear nowhere else.
  if (parsed.href.includes('#')) return { ok: false, reason: 'a fragment is not allowed' };
  const allow = options.allow ?? [];
  const host = hostnameOf(parsed);
  if (isAllowedHostname(host, allow)) return { ok: true, url: parsed };
  const ip = parseIp(host);
  if (ip) {
    const range = forbiddenRange(ip);
    if (range !== null && !isAllowedAddress(ip, allow)) return { ok: false, reason: `the host is a ${range} address` };
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    return { ok: false, reason: 'localhost is not allowed' };
  }
  return { ok: true, url: parsed };
}

/**
 * Whether the sender must refuse to connect to `ip`, an address a webhook's hostname resolved to: true
 * for every range {@link checkWebhookUrl} refuses in a literal host, unless an IP or CIDR entry of
 * `allow` covers it, and true for anything that is not an IP address at all.
 *
 * @example
 * ```ts
 * isForbiddenAddress('10.0.0.1', [])              // true
 * isForbiddenAddress('::ffff:127.0.0.1', [])      // true (IPv4-mapped loopback)
 * isForbiddenAddress('127.0.0.1', ['127.0.0.1'])  // false
 * isForbiddenAddress('93.184.215.14', [])         // false
 * ```
 */
export function isForbiddenAddress(ip: string, allow: WebhookAllowList = []): boolean {
  const bytes = parseIp(ip);
  if (!bytes) return true;
  return forbiddenRange(bytes) !== null && !isAllowedAddress(bytes, allow);
}

/**
 * Whether a hostname is named in `allow` (exactly, or under a `*.` wildcard), which trusts the name and
 * whatever it resolves to.
 */
export function isAllowedHostname(hostname: string, allow: WebhookAllowList): boolean {
  const host = normalizeHostname(hostname);
  return allow.some((entry) => {
    if (parseCidr(entry)) return false;
    const name = normalizeHostname(entry);
    return name.startsWith('*.') ? host.endsWith(name.slice(1)) : host === name;
  });
}

/** The URL's hostname without IPv6 brackets or a trailing dot, lower-case. */
export function hostnameOf(url: URL): string {
  return normalizeHostname(url.hostname.replace(/^\[(.*)\]$/, '$1'));
}

function normalizeHostname(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** An IP or CIDR entry covers the address itself or the IPv4 address it embeds (mapped, NAT64, 6to4). */
function isAllowedAddress(ip: Uint8Array, allow: WebhookAllowList): boolean {
  const candidates = [ip, effectiveAddress(ip)];
  return allow.some((entry) => {
    const range = parseCidr(entry);
    return range !== null && candidates.some((candidate) => inRange(candidate, range));
  });
}
