import { KeyObject, sign } from 'node:crypto';
import type { JwsSigner } from '../../core/ports.js';

/**
 * A {@link JwsSigner} on node:crypto: each Ed25519 signature computed on the calling thread, in about
 * 40 µs. WebCrypto's signature is the same but goes to the libuv pool and back, and the hand-off costs
 * more than the signature (docs/benchmarks.md). The default of `createAuth` from `latchkey`.
 *
 * @example
 * ```ts
 * const auth = createAuth({ storage, jwsSigner: nodeJwsSigner() })
 * ```
 */
export function nodeJwsSigner(): JwsSigner {
  // A group's private key is opened once and kept by the key ring; its KeyObject is made once too.
  const keyObjects = new WeakMap<CryptoKey, KeyObject>();
  return {
    sign(alg, privateKey, data) {
      if (alg !== 'EdDSA') throw new Error(`latchkey: cannot sign with ${alg}`);
      let keyObject = keyObjects.get(privateKey);
      if (!keyObject) {
        keyObject = KeyObject.from(privateKey);
        keyObjects.set(privateKey, keyObject);
      }
      return new Uint8Array(sign(null, data, keyObject));
    },
  };
}
