import { describe, expect, it } from 'vitest';
import { createSealedBox } from '../../../src/core/lib/sealed-box.js';
import { TEST_SECRET } from '../helpers.js';

const PURPOSE = 'latchkey/signing-keys';

/** Flips one bit of the base64url part `index` (1 = iv, 2 = ciphertext and tag) of a sealed value. */
function flip(sealed: string, index: number, at = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[at] = bytes[at]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('createSealedBox', () => {
  it('round-trips, including non-ASCII text', async () => {
    const box = createSealedBox(TEST_SECRET, PURPOSE);
    const plaintext = JSON.stringify({ d: 'private', note: 'Grüße 🔑' });
    expect(await box.open(await box.seal(plaintext))).toBe(plaintext);
  });

  it('does not contain the plaintext and uses a fresh IV every time', async () => {
    const box = createSealedBox(TEST_SECRET, PURPOSE);
    const a = await box.seal('the-secret-value');
    const b = await box.seal('the-secret-value');
    expect(a).not.toContain('the-secret-value');
    expect(a).not.toContain(Buffer.from('the-secret-value').toString('base64url'));
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
  });

  it('refuses a tampered ciphertext, tag or IV', async () => {
    const box = createSealedBox(TEST_SECRET, PURPOSE);
    const sealed = await box.seal('the-secret-value');
    const cipherLength = Buffer.from(sealed.split('.')[2]!, 'base64url').length;
    await expect(box.open(flip(sealed, 2, 0))).rejects.toThrow();
    await expect(box.open(flip(sealed, 2, cipherLength - 1))).rejects.toThrow(); // the GCM tag
    await expect(box.open(flip(sealed, 1, 0))).rejects.toThrow();
  });

  it('refuses a truncated or malformed value', async () => {
    const box = createSealedBox(TEST_SECRET, PURPOSE);
    const sealed = await box.seal('the-secret-value');
    await expect(box.open(sealed.slice(0, -4))).rejects.toThrow();
    await expect(box.open('v2' + sealed.slice(2))).rejects.toThrow();
    await expect(box.open('v1.only-two')).rejects.toThrow();
    await expect(box.open('')).rejects.toThrow();
  });

  it('cannot be opened with another secret', async () => {
    const sealed = await createSealedBox(TEST_SECRET, PURPOSE).seal('the-secret-value');
    const other = createSealedBox('another-secret-'.padEnd(40, 'y'), PURPOSE);
    await expect(other.open(sealed)).rejects.toThrow();
  });

  it('cannot be opened for another purpose with the same secret', async () => {
    const sealed = await createSealedBox(TEST_SECRET, PURPOSE).seal('the-secret-value');
    const other = createSealedBox(TEST_SECRET, 'latchkey/totp-secrets');
    await expect(other.open(sealed)).rejects.toThrow();
  });
});
