import type { JWK } from 'jose';
import type { SigningKeyRecord } from '../../ports.js';

/** A group's signing key as loaded from storage: its public half imported, its record kept. */
export interface LoadedKey {
  id: string;
  generation: number;
  alg: string;
  publicJwk: JWK;
  publicKey: CryptoKey | Uint8Array;
  /** When the next generation replaced this key; null for the current key. */
  retiredAt: Date | null;
  record: SigningKeyRecord;
}

/**
 * The signing keys of every group, as operations use them (implemented by `KeyRing`). A port of the
 * context, so the context does not depend on the key ring that depends on it.
 */
export interface SigningKeys {
  /** The group's current key with its private half, made on first use. */
  current(group: string): Promise<{ key: LoadedKey; privateKey: CryptoKey }>;
  /** Whether the configured secrets open the group's stored keys (true when it has none). */
  canOpen(group: string): Promise<boolean>;
  /** A published key of the group by `kid`. */
  find(group: string, kid: string): Promise<LoadedKey | undefined>;
  /** The group's published public keys. */
  published(group: string): Promise<JWK[]>;
  /** Makes a new current key; the old one stays published until its tokens expire. */
  rotate(group: string): Promise<LoadedKey>;
  /** Drops this instance's cached keys of a group (after the group was removed). */
  forget(group: string): void;
}
