import { fromBase64Url, toBase64Url, utf8 } from './encoding.js';
import { randomBytes } from './random.js';

const VERSION = 'v1';

/**
 * Authenticated encryption of secrets at rest (private signing keys, later TOTP secrets): AES-256-GCM
 * under a key derived with HKDF-SHA-256 from the app's `secret` and a purpose label, so each kind of
 * secret has its own key. Web Crypto only, so it runs wherever the core runs.
 */
export interface SealedBox {
  seal(plaintext: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export function createSealedBox(secret: string, purpose: string): SealedBox {
  let keyPromise: Promise<CryptoKey> | undefined;
  const key = (): Promise<CryptoKey> => (keyPromise ??= deriveKey(secret, purpose));

  return {
    async seal(plaintext) {
      const iv = randomBytes(12);
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: utf8(purpose) },
        await key(),
        utf8(plaintext),
      );
      return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
    },
    async open(sealed) {
      const [version, iv, ciphertext] = sealed.split('.');
      if (version !== VERSION || !iv || !ciphertext) throw new Error('sealed value has an unknown format');
      const plaintext = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: utf8(purpose) },
        await key(),
        fromBase64Url(ciphertext),
      );
      return new TextDecoder().decode(plaintext);
    },
  };
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
