import { fromBase64Url, toBase64Url, utf8 } from './encoding.js';
import { randomBytes } from './random.js';

const VERSION = 'v1';

/** What {@link SealedBox.unseal} found: the plaintext, and whether only a previous secret opened it. */
export interface Unsealed {
  plaintext: string;
  /** True when the current secret could not open it but a previous one could: seal it again. */
  stale: boolean;
}

/**
 * Authenticated encryption of secrets at rest (private signing keys, TOTP secrets): AES-256-GCM under a
 * key derived with HKDF-SHA-256 from the app's `secret` and a purpose label, so each kind of secret has
 * its own key. Web Crypto only, so it runs wherever the core runs.
 *
 * Values are sealed under the current secret and opened under it or any previous one (newest first), so
 * the `secret` option can be rotated with the old one kept in `previousSecrets` until what it sealed has
 * been sealed again.
 */
export interface SealedBox {
  /** Seals under the current secret. */
  seal(plaintext: string): Promise<string>;
  /**
   * Opens under the current secret, else each previous one.
   *
   * @throws Error when no secret opens it (another secret, tampered, or not a sealed value)
   */
  open(sealed: string): Promise<string>;
  /** Like {@link SealedBox.open}, but null when no secret opens it, and says whether it is stale. */
  unseal(sealed: string): Promise<Unsealed | null>;
}

/**
 * A sealed box over `secrets`: one secret, or the current one followed by previous ones, newest first.
 *
 * @throws TypeError when `secrets` is an empty list
 * @example
 * ```ts
 * const box = createSealedBox([options.secret, ...options.previousSecrets], 'latchkey/account-secrets')
 * const sealed = await box.seal(totpSecret)
 * const opened = await box.unseal(sealed) // { plaintext: totpSecret, stale: false }
 * ```
 */
export function createSealedBox(secrets: string | readonly string[], purpose: string): SealedBox {
  const list = typeof secrets === 'string' ? [secrets] : [...secrets];
  if (list.length === 0) throw new TypeError('createSealedBox needs at least one secret');
  // Derived lazily: HKDF per secret once, and not at all for previous secrets nothing needs.
  const keys: (Promise<CryptoKey> | undefined)[] = [];
  const key = (i: number): Promise<CryptoKey> => (keys[i] ??= deriveKey(list[i]!, purpose));

  const unseal = async (sealed: string): Promise<Unsealed | null> => {
    const parts = parse(sealed);
    if (!parts) return null;
    for (let i = 0; i < list.length; i++) {
      const plaintext = await decrypt(await key(i), purpose, parts);
      if (plaintext !== null) return { plaintext, stale: i > 0 };
    }
    return null;
  };

  return {
    async seal(plaintext) {
      const iv = randomBytes(12);
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: utf8(purpose) },
        await key(0),
        utf8(plaintext),
      );
      return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
    },
    async open(sealed) {
      const opened = await unseal(sealed);
      // Names no secret and no value: this message may reach logs.
      if (!opened) throw new Error('sealed value cannot be opened by `secret` or any of `previousSecrets`');
      return opened.plaintext;
    },
    unseal,
  };
}

function parse(sealed: string): { iv: Uint8Array<ArrayBuffer>; ciphertext: Uint8Array<ArrayBuffer> } | null {
  const [version, iv, ciphertext, extra] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext || extra !== undefined) return null;
  try {
    return { iv: fromBase64Url(iv), ciphertext: fromBase64Url(ciphertext) };
  } catch {
    return null;
  }
}

/** The plaintext, or null when this key does not open it (GCM's tag check fails: wrong key or tampering). */
async function decrypt(
  key: CryptoKey,
  purpose: string,
  parts: { iv: Uint8Array<ArrayBuffer>; ciphertext: Uint8Array<ArrayBuffer> },
): Promise<string | null> {
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: parts.iv, additionalData: utf8(purpose) },
      key,
      parts.ciphertext,
    );
    return new TextDecoder().decode(plaintext);
  } catch {
    return null;
  }
}

async function deriveKey(secret: string, purpose: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8('latchkey'), info: utf8(purpose) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
