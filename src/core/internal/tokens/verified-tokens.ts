import { fromBase64Url, toBase64Url } from '../../lib/encoding.js';
import type { AccessTokenClaims } from './access-token-claims.js';

/** What this instance keeps of an access token it verified: the key that checked it and its claims. */
export interface VerifiedToken {
  /** The `kid` and `alg` the signature was checked with. */
  kid: string;
  alg: string;
  claims: AccessTokenClaims;
}

/**
 * Access tokens whose signature and claims this instance has checked, so that a token presented
 * again (a client sends the same one for its whole lifetime) skips the signature check. Only what is
 * fixed by the signed bytes is remembered: each use still checks expiry and `nbf` against the clock,
 * that the signing key is still published, and (when asked) the session in storage.
 *
 * Keyed by the group and the whole token, so a token that differs in any byte (a forged signature, an
 * edited payload) is a miss and is verified in full. The tokens stay in this process's memory only,
 * which already holds the private signing keys that could mint any of them. Only tokens that passed
 * every check are added; at most `max` are kept, least recently used dropped first. Entries are frozen,
 * and {@link copyClaims} gives each caller claims of its own.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, VerifiedToken>();

  constructor(private readonly max: number) {}

  /** The entry of a token verified before in this group; `undefined` when there is none. */
  get(group: string, token: string): VerifiedToken | undefined {
    if (this.max === 0) return undefined;
    const key = cacheKey(group, token);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    // Re-inserted: Map order is the recency order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /**
   * Remembers a token that passed every check, if it is in canonical form. Base64 decoders forgive
   * (unused low bits, whitespace, padding), so one token has many spellings that verify alike; only
   * the one latchkey issues is kept, so that a token's holder cannot fill the cache with its variants
   * and push out other clients' tokens. The other spellings are verified in full each time, as before.
   */
  set(group: string, token: string, entry: VerifiedToken): void {
    if (this.max === 0 || !isCanonical(token)) return;
    const key = cacheKey(group, token);
    this.#entries.delete(key);
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { ...entry, claims: deepFreeze(structuredClone(entry.claims)) });
  }

  /** Drops a token (it expired, or its key is no longer published). */
  delete(group: string, token: string): void {
    this.#entries.delete(cacheKey(group, token));
  }

  /** Tokens kept now. */
  get size(): number {
    return this.#entries.size;
  }
}

/** Three base64url segments, each exactly as its bytes encode: no padding, no stray bits or characters. */
function isCanonical(token: string): boolean {
  const segments = token.split('.');
  return (
    segments.length === 3 &&
    segments.every((segment) => /^[A-Za-z0-9_-]+$/.test(segment) && toBase64Url(fromBase64Url(segment)) === segment)
  );
}

function cacheKey(group: string, token: string): string {
  return `${group}\n${token}`;
}

/** A caller's own copy of cached claims (every claim latchkey signs is a string, a number, `amr` or `act`). */
export function copyClaims(claims: AccessTokenClaims): AccessTokenClaims {
  const copy = { ...claims, amr: [...claims.amr] };
  if (claims.act) copy.act = { ...claims.act };
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
