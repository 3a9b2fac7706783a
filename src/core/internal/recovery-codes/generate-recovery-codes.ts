import type { AuthContext } from '../../context.js';
import { randomBytes } from '../../lib/random.js';
import type { AccountRecord } from '../../ports.js';

/** How many codes a set has. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * Crockford's base32, lower-case: 32 symbols (5 bits each) without `i`, `l`, `o` or `u`, so nothing
 * looks like anything else; on input `i`/`l` are read as `1` and `o` as `0`, as Crockford specifies.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 3;
const GROUP_LENGTH = 5;
const LENGTH = GROUPS * GROUP_LENGTH;
/** 15 symbols × 5 bits. */
export const RECOVERY_CODE_BITS = LENGTH * 5;

const LOOK_ALIKES: Record<string, string> = { i: '1', l: '1', o: '0' };
const CANONICAL = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);

/**
 * One recovery code, `xxxxx-xxxxx-xxxxx`: 75 bits from the platform CSPRNG (each byte's low 5 bits, which
 * are uniform because 256 is a multiple of 32).
 */
export function generateRecoveryCode(): string {
  const symbols = Array.from(randomBytes(LENGTH), (byte) => ALPHABET[byte & 31]).join('');
  const groups: string[] = [];
  for (let i = 0; i < LENGTH; i += GROUP_LENGTH) groups.push(symbols.slice(i, i + GROUP_LENGTH));
  return groups.join('-');
}

/**
 * The canonical form a code is hashed in: case folded, spaces and dashes dropped, look-alikes mapped
 * (`O` → `0`, `I`/`L` → `1`). Null when what is left is not 15 symbols of the alphabet.
 *
 * @example
 * ```ts
 * normalizeRecoveryCode(' ABCDE FGHJK-MNPQR ') // 'abcdefghjkmnpqr'
 * ```
 */
export function normalizeRecoveryCode(input: string): string | null {
  if (input.length > 64) return null;
  const compact = input
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/[ilo]/g, (c) => LOOK_ALIKES[c]!);
  return CANONICAL.test(compact) ? compact : null;
}

/**
 * Makes a new set of {@link RECOVERY_CODE_COUNT} codes for the account and stores only their keyed
 * hashes (`ctx.hashCode` of the canonical form), replacing every earlier code in one atomic step. The
 * plain codes exist only in the return value: show them once.
 *
 * @example
 * ```ts
 * const recoveryCodes = await issueRecoveryCodes(ctx, account.group, account.id)
 * ```
 */
export async function issueRecoveryCodes(ctx: AuthContext, group: string, accountId: string): Promise<string[]> {
  const codes = new Set<string>();
  // A repeat within one set has odds of about 2^-69; the loop only makes the count exact.
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(generateRecoveryCode());
  const recoveryCodes = [...codes];
  const hashes = recoveryCodes.map((code) => ctx.hashCode(normalizeRecoveryCode(code)!));
  await ctx.storage.recoveryCodes.replace(group, accountId, hashes, ctx.clock.now());
  return recoveryCodes;
}

/**
 * Uses one of the account's recovery codes: true when it was an unused code of this account, which is
 * now spent. Case, spaces and dashes do not matter. **Atomic** through storage: of concurrent calls
 * with one code, exactly one returns true. A primitive: it never throws for a wrong code and does not
 * throttle (callers count failures with `secondFactorThrottle`).
 *
 * Codes issued before `secret` was rotated are stored as their hash under the old secret, so the hash
 * under each of `previousSecrets` is tried after the current one. A code is stored under one secret
 * only, so at most one of the tries can consume it; being single-use, it needs no rewrite.
 *
 * @example
 * ```ts
 * if (!(await consumeRecoveryCode(ctx, account, input.recoveryCode))) {
 *   throw new AuthError('invalid_two_factor', 'The two-factor code is not valid.')
 * }
 * ```
 */
export async function consumeRecoveryCode(ctx: AuthContext, account: AccountRecord, code: string): Promise<boolean> {
  const canonical = normalizeRecoveryCode(code);
  if (canonical === null) return false;
  const at = ctx.clock.now();
  for (const hash of ctx.hashCode.all(canonical)) {
    if (await ctx.storage.recoveryCodes.consume(account.group, account.id, hash, at)) return true;
  }
  return false;
}
