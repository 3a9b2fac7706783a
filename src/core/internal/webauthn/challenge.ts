import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import { fromBase64Url, toBase64Url } from '../../lib/encoding.js';
import { randomBytes } from '../../lib/random.js';
import { hashToken } from '../../lib/token-hash.js';
import type { WebAuthnChallengePurpose, WebAuthnChallengeRecord } from '../../ports.js';
import type { WebauthnConfig } from './config.js';

/** 256 random bits (WebAuthn asks for at least 16 bytes). */
const CHALLENGE_BYTES = 32;

export const INVALID_CHALLENGE = 'The passkey challenge is invalid, expired or already used.';

/**
 * Issues a challenge: random bytes handed to the browser (base64url, the form `clientDataJSON` echoes),
 * stored only as the SHA-256 of that form, bound to an account (or to none for a discoverable sign-in),
 * for `challengeTtl` seconds. Returns the raw bytes, for the options generator.
 */
export async function issueWebauthnChallenge(
  ctx: AuthContext,
  config: WebauthnConfig,
  input: { purpose: WebAuthnChallengePurpose; group: string; accountId: string | null },
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = randomBytes(CHALLENGE_BYTES);
  const now = ctx.clock.now();
  await ctx.storage.webauthnChallenges.create({
    hash: hashToken(toBase64Url(bytes)),
    purpose: input.purpose,
    group: input.group,
    accountId: input.accountId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + config.challengeTtl * 1000),
    consumedAt: null,
  });
  return bytes;
}

/**
 * Uses up the challenge a response answers, once: of concurrent uses exactly one gets it. Unknown,
 * used, expired, wrong-purpose and other-group challenges get the same answer.
 *
 * @throws AuthError `invalid_token`
 */
export async function consumeWebauthnChallenge(
  ctx: AuthContext,
  input: { purpose: WebAuthnChallengePurpose; group: string; challenge: string },
): Promise<WebAuthnChallengeRecord> {
  const record = await ctx.storage.webauthnChallenges.consume(hashToken(input.challenge), input.purpose, ctx.clock.now());
  if (!record || record.group !== input.group) throw new AuthError('invalid_token', INVALID_CHALLENGE);
  return record;
}

/**
 * The `challenge` a response's `clientDataJSON` carries. Everything else in it (type, origin) is for
 * the verifier; this is read first only to find the stored challenge.
 *
 * @throws AuthError `validation_failed` when `clientDataJSON` is not base64url JSON with a challenge
 */
export function challengeOfResponse(clientDataJSON: unknown): string {
  try {
    if (typeof clientDataJSON === 'string') {
      const data: unknown = JSON.parse(Buffer.from(fromBase64Url(clientDataJSON)).toString('utf8'));
      const challenge = (data as { challenge?: unknown } | null)?.challenge;
      if (typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 1024) return challenge;
    }
  } catch {
    // Answered below, like any other unreadable client data.
  }
  throw new AuthError('validation_failed', 'The passkey response is not valid.', {
    details: [{ path: 'credential.response.clientDataJSON', message: 'is not valid client data' }],
  });
}
