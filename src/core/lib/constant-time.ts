/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they differ.
 * Lengths are not secret here (a digest or a derived key has a fixed length), so arrays of different
 * lengths return false at once.
 *
 * @example
 * ```ts
 * constantTimeEqual(derivedKey, storedKey) // true when identical
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
