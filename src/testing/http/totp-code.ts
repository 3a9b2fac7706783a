import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (case-insensitive, padding optional). */
export function base32Decode(value: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of value.replace(/=+$/, '').toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    buffer = (buffer << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/**
 * The 6-digit TOTP (RFC 6238: HMAC-SHA-1, 30-second steps, T0 = 0) of a base32 secret at `time`, written
 * independently of latchkey's own implementation so the suite checks it rather than repeats it.
 *
 * @example
 * ```ts
 * const code = totpCode(enrolment.secret, h.clock.now())
 * ```
 */
export function totpCode(secret: string, time: Date, options: { stepOffset?: number } = {}): string {
  const step = Math.floor(time.getTime() / 1000 / 30) + (options.stepOffset ?? 0);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}
