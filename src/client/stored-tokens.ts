import type { StoredTokens } from './token-store.js';

/** What the client needs of a token response (`POST /login`, `/login/two-factor`, `/token/refresh` …). */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn?: number;
}

/**
 * The tokens to keep from a token response received at `now` (ms). The expiry counts `expiresIn` from
 * the client's own clock, which a wrong client clock cannot skew; without `expiresIn`, the JWT's `exp`.
 * The refresh comes `margin` ms early, but never earlier than half the token's life, so that a short
 * lifetime does not mean a refresh before every call.
 *
 * @example
 * ```ts
 * await store.set(storedTokens(tokens, Date.now(), 30_000))
 * ```
 */
export function storedTokens(tokens: TokenPair, now: number, margin: number): StoredTokens {
  const lifetime = typeof tokens.expiresIn === 'number' ? tokens.expiresIn * 1000 : jwtExpiry(tokens.accessToken) - now;
  const expiresAt = now + Math.max(0, lifetime);
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt,
    refreshAt: expiresAt - Math.min(margin, Math.max(0, lifetime) / 2),
  };
}

/** A JWT's `exp` in ms (read, not verified: the server verifies), or 0 when it has none. */
function jwtExpiry(jwt: string): number {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const { exp } = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}
