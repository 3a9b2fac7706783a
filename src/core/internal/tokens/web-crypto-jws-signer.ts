import type { JwsSigner } from '../../ports.js';

/**
 * The core's {@link JwsSigner}: WebCrypto, available on every runtime latchkey serves. Node computes
 * each signature on its libuv pool; `createAuth` from `latchkey` uses `nodeJwsSigner` instead, which
 * costs less than the hand-off.
 */
export const webCryptoJwsSigner: JwsSigner = {
  async sign(alg, privateKey, data) {
    if (alg !== 'EdDSA') throw new Error(`latchkey: cannot sign with ${alg}`);
    return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, data));
  },
};
