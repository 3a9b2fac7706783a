import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { AuthContext } from '../../context.js';
import { isAuthError } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import type { SealedBox } from '../../lib/sealed-box.js';
import type { SigningKeyRecord } from '../../ports.js';
import type { LoadedKey, SigningKeys } from './signing-keys.js';
import { groupPolicy } from '../groups/group-policy.js';

export type { LoadedKey } from './signing-keys.js';

export const SIGNING_ALG = 'EdDSA';

/** How long an instance signs with a cached current key before re-reading storage. */
const CACHE_SECONDS = 60;
/** A token naming an unknown `kid` reloads keys at most this often (stops reload floods). */
const RELOAD_FLOOR_MS = 1_000;

interface GroupKeys {
  keys: LoadedKey[];
  loadedAt: number;
}

/** A private key as opened: `stale` when only one of `previousSecrets` opened it. */
interface OpenedKey {
  privateKey: CryptoKey;
  stale: boolean;
}

/**
 * The signing keys of every group: created on first use and kept in storage (private halves sealed),
 * so restarts and many instances share them. A retired key stays published until every token it could
 * have signed has expired.
 *
 * After `secret` is rotated, a current key that only one of `previousSecrets` opens is replaced by a new
 * generation sealed under `secret` (the repository has no update, and a new key is as good), so the old
 * secret can later be dropped. A current key that no secret opens is replaced the same way, with an
 * error logged, so sign-in keeps working; `checkSecret` reports that case at start-up instead.
 */
export class KeyRing implements SigningKeys {
  readonly #cache = new Map<string, GroupKeys>();
  readonly #privateKeys = new Map<string, Promise<OpenedKey | null>>();
  /** Replacements in flight, by the kid they replace: concurrent signers share one new generation. */
  readonly #replacing = new Map<string, Promise<LoadedKey>>();

  constructor(
    private readonly ctx: () => AuthContext,
    private readonly box: SealedBox,
  ) {}

  /** The key new tokens are signed with, creating the group's first key when there is none. */
  async current(group: string): Promise<{ key: LoadedKey; privateKey: CryptoKey }> {
    let keys = await this.#keys(group, false);
    if (keys.length === 0) {
      await this.#create(group, 1);
      keys = await this.#keys(group, true);
    }
    const key = keys[0]!;
    const opened = await this.#open(key);
    if (opened && !opened.stale) return { key, privateKey: opened.privateKey };

    const where = { group, kid: key.id, generation: key.generation };
    if (opened) {
      this.ctx().logger.info('signing key sealed under a previous secret: replacing it with one sealed under `secret`', where);
    } else {
      this.ctx().logger.error(
        'signing key cannot be opened by `secret` or any of `previousSecrets` (did `secret` change?): replacing it with a new key',
        where,
      );
    }
    const next = await this.#replace(group, key);
    const reopened = next.id === key.id ? opened : await this.#open(next);
    if (reopened) return { key: next, privateKey: reopened.privateKey };
    // Another instance (another secret) won the replacement with a key this one cannot open: sign with
    // the stale key, just retired and so still published; the next call makes a key of its own.
    if (opened) return { key, privateKey: opened.privateKey };
    throw new Error(`latchkey: no signing key of group "${group}" can be opened by \`secret\` or \`previousSecrets\``);
  }

  /**
   * Whether the configured secrets open the group's keys: true when the group has none, or when at least
   * one of its stored private keys opens under `secret` or one of `previousSecrets`.
   */
  async canOpen(group: string): Promise<boolean> {
    const keys = await this.#keys(group, true);
    if (keys.length === 0) return true;
    for (const key of keys) if (await this.#open(key)) return true;
    return false;
  }

  /** A published key of the group by `kid`; reloads once (rate-limited) when the kid is unknown. */
  async find(group: string, kid: string): Promise<LoadedKey | undefined> {
    const ttl = await this.#tokenTtl(group);
    const published = (keys: LoadedKey[]) => keys.find((k) => k.id === kid && this.#isPublished(k, ttl));
    const hit = published(await this.#keys(group, false));
    if (hit) return hit;
    const cached = this.#cache.get(group);
    if (cached && Date.now() - cached.loadedAt < RELOAD_FLOOR_MS) return undefined;
    return published(await this.#keys(group, true));
  }

  /** Public keys to publish in the JWKS. */
  async published(group: string): Promise<JWK[]> {
    let keys = await this.#keys(group, false);
    if (keys.length === 0) {
      await this.current(group);
      keys = await this.#keys(group, false);
    }
    const ttl = await this.#tokenTtl(group);
    return keys.filter((k) => this.#isPublished(k, ttl)).map((k) => k.publicJwk);
  }

  /** Adds a new current key; the old one keeps verifying until its tokens expire. */
  async rotate(group: string): Promise<LoadedKey> {
    const keys = await this.#keys(group, true);
    await this.#create(group, (keys[0]?.generation ?? 0) + 1);
    return (await this.#keys(group, true))[0]!;
  }

  /**
   * The longest lifetime a token of the group may have now: the option's, or the group's
   * `accessTokenTtl` setting when longer (from the group cache). A group gone meanwhile has the option's.
   */
  async #tokenTtl(group: string): Promise<number> {
    const { accessTokenTtl } = this.ctx().options;
    const policy = await groupPolicy(this.ctx(), group).catch(() => null);
    return Math.max(accessTokenTtl, policy?.accessTokenTtl ?? accessTokenTtl);
  }

  /** Forgets what this instance cached of a group's keys (the group was removed). */
  forget(group: string): void {
    this.#cache.delete(group);
  }

  #isPublished(key: LoadedKey, accessTokenTtl: number): boolean {
    if (!key.retiredAt) return true;
    const lastUse = key.retiredAt.getTime() + (CACHE_SECONDS + accessTokenTtl + 60) * 1000;
    return this.ctx().clock.now().getTime() < lastUse;
  }

  async #keys(group: string, reload: boolean): Promise<LoadedKey[]> {
    const cached = this.#cache.get(group);
    if (!reload && cached && Date.now() - cached.loadedAt < CACHE_SECONDS * 1000) return cached.keys;
    const records = await this.ctx().storage.signingKeys.listByGroup(group);
    const keys = await Promise.all(records.map((record, i) => load(record, records[i - 1]?.createdAt ?? null)));
    this.#cache.set(group, { keys, loadedAt: Date.now() });
    return keys;
  }

  async #create(group: string, generation: number): Promise<void> {
    const ctx = this.ctx();
    const now = ctx.clock.now();
    const pair = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
    const id = newId('key', now);
    const meta = { kid: id, alg: SIGNING_ALG, use: 'sig' };
    const record: SigningKeyRecord = {
      id,
      group,
      generation,
      alg: SIGNING_ALG,
      publicJwk: JSON.stringify({ ...(await exportJWK(pair.publicKey)), ...meta }),
      privateJwkSealed: await this.box.seal(JSON.stringify({ ...(await exportJWK(pair.privateKey)), ...meta })),
      createdAt: now,
    };
    try {
      await ctx.storage.signingKeys.create(record);
      ctx.logger.info('signing key created', { group, kid: id, generation });
    } catch (error) {
      // Another instance created this generation first: use theirs.
      if (!isAuthError(error, 'conflict')) throw error;
    }
  }

  /** Makes generation `key.generation + 1` (or takes the one another instance made) and returns it. */
  #replace(group: string, key: LoadedKey): Promise<LoadedKey> {
    let promise = this.#replacing.get(key.id);
    if (!promise) {
      promise = this.#create(group, key.generation + 1)
        .then(() => this.#keys(group, true))
        .then((keys) => keys[0]!)
        .finally(() => this.#replacing.delete(key.id));
      this.#replacing.set(key.id, promise);
    }
    return promise;
  }

  /** The private key, or null when no configured secret opens it (cached: secrets do not change). */
  #open(key: LoadedKey): Promise<OpenedKey | null> {
    let promise = this.#privateKeys.get(key.id);
    if (!promise) {
      promise = this.box.unseal(key.record.privateJwkSealed).then(async (opened) => {
        if (!opened) return null;
        const privateKey = await importJWK(JSON.parse(opened.plaintext) as JWK, key.alg);
        // An asymmetric JWK (latchkey's keys are OKP) imports as a CryptoKey; bytes would be a secret key.
        if (privateKey instanceof Uint8Array) throw new Error(`latchkey: signing key ${key.id} is not an asymmetric key`);
        return { privateKey, stale: opened.stale };
      });
      promise.catch(() => this.#privateKeys.delete(key.id));
      this.#privateKeys.set(key.id, promise);
    }
    return promise;
  }
}

async function load(record: SigningKeyRecord, retiredAt: Date | null): Promise<LoadedKey> {
  const publicJwk = JSON.parse(record.publicJwk) as JWK;
  return {
    id: record.id,
    generation: record.generation,
    alg: record.alg,
    publicJwk,
    publicKey: await importJWK(publicJwk, record.alg),
    retiredAt,
    record,
  };
}
