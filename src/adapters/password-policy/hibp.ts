import type { PasswordPolicy, PasswordVerdict } from '../../core/ports.js';
import { breachCount, rangeQuery } from './pwned-range.js';

/** The part of `fetch` the policy uses (the global `fetch` fits), so any runtime or test double will do. */
export type HibpFetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<{
  /** Whether the status is 2xx. */
  ok: boolean;
  /** The HTTP status. */
  status: number;
  /** The answer's body as text: one `SUFFIX:COUNT` line per hash. */
  text(): Promise<string>;
}>;

/** Options of {@link hibpPasswordPolicy}. */
export interface HibpPasswordPolicyOptions {
  /** The Pwned Passwords service (default `https://api.pwnedpasswords.com`): a mirror, or a stub in tests. */
  baseUrl?: string;
  /** Milliseconds to wait for the whole answer (default 1500, 100 to 30 000). */
  timeout?: number;
  /**
   * What an unanswered check means (timeout, network error, non-2xx status): `allow` (default) lets the
   * password through, `refuse` refuses it (reason `unavailable`). Either way it is logged at `warn`.
   */
  onError?: 'allow' | 'refuse';
  /** Refuse a password seen in at least this many breached accounts (default 1: any). */
  minBreachCount?: number;
  /** Default: the global `fetch`. */
  fetch?: HibpFetch;
}

const DEFAULT_BASE_URL = 'https://api.pwnedpasswords.com';

/**
 * A {@link PasswordPolicy} that refuses passwords known from data breaches (reason `breached`, message
 * `has appeared in a data breach`), by Have I Been Pwned's Pwned Passwords range API. Only the first 5
 * hex characters of the password's SHA-1 are sent (k-anonymity), with `Add-Padding: true` so that the
 * answer's size says nothing either; the rest of the hash is compared here. Off unless you add it to the
 * `passwordPolicy` option. Needs outbound HTTPS to the service.
 *
 * @throws RangeError for a `timeout` or `minBreachCount` out of range, TypeError for a `baseUrl` that is
 * not an http(s) URL
 * @example
 * ```ts
 * import { commonPasswordPolicy, hibpPasswordPolicy } from 'latchkey/adapters'
 *
 * const auth = createAuth({
 *   storage,
 *   passwordPolicy: [commonPasswordPolicy(), hibpPasswordPolicy({ timeout: 1000, onError: 'allow' })],
 * })
 * ```
 */
export function hibpPasswordPolicy(options: HibpPasswordPolicyOptions = {}): PasswordPolicy {
  const { timeout = 1500, onError = 'allow', minBreachCount = 1 } = options;
  const base = serviceUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 30_000) {
    throw new RangeError('hibpPasswordPolicy: `timeout` must be an integer from 100 to 30000 (milliseconds)');
  }
  if (!Number.isSafeInteger(minBreachCount) || minBreachCount < 1) {
    throw new RangeError('hibpPasswordPolicy: `minBreachCount` must be a positive integer');
  }
  const fetcher: HibpFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));

  return {
    async check(password, context): Promise<PasswordVerdict> {
      const { prefix, suffix } = rangeQuery(password);
      let body: string;
      try {
        const response = await fetcher(`${base}/range/${prefix}`, {
          headers: { 'add-padding': 'true', 'user-agent': 'latchkey' },
          signal: AbortSignal.timeout(timeout),
        });
        if (!response.ok) throw new ServiceError(`status ${response.status}`);
        body = await response.text();
      } catch (error) {
        // Never the error's message: a fetch error may quote the URL, and with it the hash prefix.
        context.logger.warn(`breached-password check failed: password ${onError === 'allow' ? 'allowed' : 'refused'}`, {
          group: context.group,
          operation: context.operation,
          error: describe(error),
        });
        if (onError === 'allow') return { ok: true };
        return { ok: false, reason: 'unavailable', message: 'could not be checked against known data breaches; try again later' };
      }
      if (breachCount(body, suffix) >= minBreachCount) {
        return { ok: false, reason: 'breached', message: 'has appeared in a data breach' };
      }
      return { ok: true };
    },
  };
}

/** A non-2xx answer, told apart from network errors in the log. */
class ServiceError extends Error {}

/** The base URL without trailing slashes. */
function serviceUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('hibpPasswordPolicy: `baseUrl` must be an http or https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('hibpPasswordPolicy: `baseUrl` must be an http or https URL');
  }
  return value.replace(/\/+$/, '');
}

/** What went wrong, in words that quote neither the URL nor the password. */
function describe(error: unknown): string {
  if (error instanceof ServiceError) return error.message;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? code : 'network error';
}
