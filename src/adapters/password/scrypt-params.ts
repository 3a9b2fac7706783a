/**
 * scrypt's cost parameters and their bounds: the bottom of the scrypt files, which the hasher, the
 * engines and the worker pool all import, and which imports none of them.
 */

/** scrypt cost parameters: N = 2^ln, block size r, parallelism p, and the derived key's length in bytes. */
export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
  keyLength: number;
}

/**
 * What a hash may ask for, whether configured or read from storage: a stored hash cannot request
 * gigabytes of memory or minutes of CPU.
 *
 * @example
 * ```ts
 * scryptHasher({ ln: 20 }); // RangeError: its 1 GiB work buffer (128·2^20·8 bytes) is above maxMemory
 * ```
 */
export const SCRYPT_BOUNDS = {
  minLn: 10,
  /** Bytes of the scrypt work buffer, 128·N·r. */
  maxMemory: 64 * 1024 * 1024,
  maxP: 16,
  minKeyLength: 16,
  maxKeyLength: 64,
  minSaltLength: 8,
  maxSaltLength: 64,
} as const;

/** @internal Whether these parameters and this salt length are within {@link SCRYPT_BOUNDS}. */
export function withinBounds({ ln, r, p, keyLength }: ScryptParams, saltLength: number): boolean {
  const b = SCRYPT_BOUNDS;
  return (
    [ln, r, p, keyLength, saltLength].every(Number.isSafeInteger) &&
    ln >= b.minLn &&
    r >= 1 &&
    ln < 16 * r && // RFC 7914's N < 2^(128·r/8), which OpenSSL enforces
    128 * 2 ** ln * r <= b.maxMemory &&
    p >= 1 &&
    p <= b.maxP &&
    keyLength >= b.minKeyLength &&
    keyLength <= b.maxKeyLength &&
    saltLength >= b.minSaltLength &&
    saltLength <= b.maxSaltLength
  );
}
