import { constantTimeEqual } from '../../core/lib/constant-time.js';
import type { PasswordHasher } from '../../core/ports.js';
import { legacyEngine, type LegacyEngine } from './legacy-engine.js';
import { type LegacyHash, parseLegacyHash } from './legacy-hashes.js';

export { LEGACY_HASH_BOUNDS, parseLegacyHash } from './legacy-hashes.js';

const utf8 = new TextEncoder();

/**
 * Wraps a {@link PasswordHasher} so that it also verifies the hashes of other systems, for accounts
 * imported with a `passwordHash` (`POST /accounts/import`): bcrypt (`$2a$`, `$2b$`, `$2y$`), PHC argon2
 * (`$argon2id$`, `$argon2i$`, `$argon2d$`) and PBKDF2 (`$pbkdf2-sha256$`, `$pbkdf2-sha512$`, PHC
 * `i=…,l=…` or passlib's `<rounds>`). New passwords are hashed by `inner` only; an imported hash
 * always `needsRehash`, so the first login replaces it with one of `inner`'s. Costs are bounded
 * ({@link LEGACY_HASH_BOUNDS}): `checkHash` names a hash beyond them (the import refuses it) and `verify`
 * answers false for it without deriving anything. Derivation runs off the event loop, and the derived
 * key is compared in constant time. The default of `createAuth`, around `scryptHasher()`.
 *
 * @example
 * ```ts
 * import { importedHashes, scryptHasher } from 'latchkey/adapters'
 *
 * const auth = createAuth({ storage, secret, passwordHasher: importedHashes(scryptHasher({ ln: 15 })) })
 * ```
 */
export function importedHashes(inner: PasswordHasher): PasswordHasher {
  return createImportedHashes(inner, legacyEngine);
}

/** @internal {@link importedHashes} with the engine chosen by the caller. */
export function createImportedHashes(inner: PasswordHasher, engine: LegacyEngine): PasswordHasher {
  return {
    hash: (password) => inner.hash(password),

    async verify(stored, password) {
      const parsed = parseLegacyHash(stored);
      if (parsed === null) return inner.verify(stored, password);
      if (!parsed.ok || typeof password !== 'string') return false;
      try {
        const derived = await derive(engine, parsed.hash, password);
        return constantTimeEqual(derived, expected(parsed.hash));
      } catch {
        return false;
      }
    },

    needsRehash(stored) {
      return parseLegacyHash(stored) !== null || inner.needsRehash(stored);
    },

    checkHash(stored) {
      const parsed = parseLegacyHash(stored);
      if (parsed === null) return inner.checkHash ? inner.checkHash(stored) : 'its format is not supported';
      return parsed.ok ? null : parsed.reason;
    },
  };
}

function derive(engine: LegacyEngine, hash: LegacyHash, password: string): Promise<Uint8Array> {
  switch (hash.kind) {
    case 'bcrypt':
      return engine.bcrypt(password, hash);
    case 'argon2':
      return engine.argon2(password, hash);
    case 'pbkdf2':
      return engine.pbkdf2(password, hash);
  }
}

function expected(hash: LegacyHash): Uint8Array {
  return hash.kind === 'bcrypt' ? utf8.encode(hash.text) : hash.hash;
}
