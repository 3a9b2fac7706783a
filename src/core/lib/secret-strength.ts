/** Fewer distinct characters than this is not random. 32 random hex digits have 8 or more but for odds of 4·10⁻⁸. */
const MIN_DISTINCT = 8;

/**
 * Why `secret` is obviously not random, or undefined when nothing obvious is wrong. It does not measure
 * entropy (no check on a string can); it refuses the placeholders people type: one character repeated,
 * a short unit repeated (`abab…`, a 16-character block twice, `changeme` padded with `x`), a handful of
 * distinct characters. Real random secrets pass: `openssl rand -hex 32`, `openssl rand -base64 32`,
 * `crypto.randomBytes(32).toString('base64url')`, 16 random bytes in hex (each refused with odds below
 * 10⁻⁷). The reason never quotes the secret.
 *
 * Length is checked by the option schema, not here.
 *
 * @example
 * ```ts
 * secretWeakness('ab'.repeat(16))                                   // 'repeats a short pattern…'
 * secretWeakness(crypto.randomBytes(32).toString('base64url'))      // undefined
 * ```
 */
export function secretWeakness(secret: string): string | undefined {
  const chars = Array.from(secret);
  if (hasShortPeriod(chars)) return 'repeats a short pattern: use random bytes (e.g. `openssl rand -base64 32`)';
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < MIN_DISTINCT) {
    return `has fewer than ${MIN_DISTINCT} different characters: use random bytes (e.g. \`openssl rand -base64 32\`)`;
  }
  if (Math.max(...counts.values()) * 2 >= chars.length) {
    return 'is mostly one repeated character: use random bytes (e.g. `openssl rand -base64 32`)';
  }
  return undefined;
}

/**
 * Whether the string repeats with some period of at most half its length (`s[i] === s[i + p]` for every
 * `i`): `aaaa`, `abab`, `abcabcab`, a block written twice.
 */
function hasShortPeriod(chars: string[]): boolean {
  for (let period = 1; period * 2 <= chars.length; period++) {
    let periodic = true;
    for (let i = period; i < chars.length && periodic; i++) periodic = chars[i] === chars[i - period];
    if (periodic) return true;
  }
  return false;
}
