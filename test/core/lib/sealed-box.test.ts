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
    const other = createSealedBox('afBaGyrGypTw_VX8q7X8Vwmp1InzC_xjkKKRpYez', PURPOSE);
    await expect(other.open(sealed)).rejects.toThrow();
  });

  it('cannot be opened for another purpose with the same secret', async () => {
    const sealed = await createSealedBox(TEST_SECRET, PURPOSE).seal('the-secret-value');
    const other = createSealedBox(TEST_SECRET, 'latchkey/totp-secrets');
    await expect(other.open(sealed)).rejects.toThrow();
  });

  describe('with previous secrets', () => {
    const OLD = 'afBaGyrGypTw_VX8q7X8Vwmp1InzC_xjkKKRpYez';

    it('seals under the first secret and opens under any, saying when only a previous one did', async () => {
      const old = await createSealedBox(OLD, PURPOSE).seal('sealed-before');
      const rotated = createSealedBox([TEST_SECRET, OLD], PURPOSE);
      expect(await rotated.unseal(old)).toEqual({ plaintext: 'sealed-before', stale: true });
      expect(await rotated.open(old)).toBe('sealed-before');
      const fresh = await rotated.seal('sealed-after');
      expect(await rotated.unseal(fresh)).toEqual({ plaintext: 'sealed-after', stale: false });
      expect(await createSealedBox(TEST_SECRET, PURPOSE).open(fresh)).toBe('sealed-after');
      await expect(createSealedBox(OLD, PURPOSE).open(fresh)).rejects.toThrow();
    });

    it('gives null from unseal, and an error naming no secret from open, when no secret opens it', async () => {
      const sealed = await createSealedBox(OLD, PURPOSE).seal('the-secret-value');
      const box = createSealedBox([TEST_SECRET], PURPOSE);
      expect(await box.unseal(sealed)).toBeNull();
      expect(await box.unseal('not a sealed value')).toBeNull();
      expect(await box.unseal(flip(sealed, 2))).toBeNull();
      const error = (await box.open(sealed).then(() => expect.fail('opened'), (e: unknown) => e)) as Error;
      expect(error.message).toMatch(/cannot be opened by `secret` or any of `previousSecrets`/);
      expect(error.message).not.toContain(TEST_SECRET);
      expect(error.message).not.toContain(OLD);
    });

    it('needs at least one secret', () => {
      expect(() => createSealedBox([], PURPOSE)).toThrow(TypeError);
    });
  });
});
