import type { Kysely } from 'kysely';
import type {
  WebAuthnChallengePurpose,
  WebAuthnChallengeRecord,
  WebAuthnChallengeRepository,
} from '../../../core/ports.js';
import { consumeOnce } from './consume-once.js';
import type { StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { toRow, webauthnChallengeColumns } from './mapping.js';

/**
 * The SQL {@link WebAuthnChallengeRepository}. `create` inserts by hash, the primary key (a duplicate
 * throws `AuthError('conflict')`). `consume` is one conditional UPDATE
 * (`… AND consumed_at IS NULL AND expires_at > ?`): of concurrent callers exactly one changes the row
 * (see `conditionally`). The row comes back with `RETURNING` where the dialect has it, else it is read
 * in the UPDATE's transaction. `deleteExpired` is one DELETE on `expires_at` (served by the index of
 * migration 0005); with a `limit`, the due hashes are selected first, oldest first, then deleted.
 * `deleteForAccount` is one DELETE on the index `(group_id, account_id)`.
 */
export function createWebAuthnChallengeRepository(ctx: StorageContext): WebAuthnChallengeRepository {
  const { db, tables } = ctx;

  return {
    async create(challenge: WebAuthnChallengeRecord): Promise<void> {
      await conflictOnDuplicate(
        () => db.insertInto(tables.webauthnChallenges).values(toRow(webauthnChallengeColumns, challenge)).execute(),
        'A WebAuthn challenge with this hash already exists.',
      );
    },

    async consume(hash: string, purpose: WebAuthnChallengePurpose, at: Date): Promise<WebAuthnChallengeRecord | null> {
      return consumeOnce(ctx, tables.webauthnChallenges, webauthnChallengeColumns, { hash, purpose, at });
    },

    async deleteExpired(before: Date, limit?: number): Promise<number> {
      const due = (executor: Kysely<any>) =>
        executor.deleteFrom(tables.webauthnChallenges).where('expires_at', '<=', before.getTime());
      if (limit === undefined) {
        const { numDeletedRows } = await due(db).executeTakeFirst();
        return Number(numDeletedRows);
      }
      // DELETE … LIMIT is not portable (PostgreSQL has none): pick the hashes, then delete those still
      // due. A challenge never becomes live again, so the second condition only guards the count.
      const hashes = await db
        .selectFrom(tables.webauthnChallenges)
        .select('hash')
        .where('expires_at', '<=', before.getTime())
        .orderBy('expires_at')
        .limit(limit)
        .execute();
      if (hashes.length === 0) return 0;
      const { numDeletedRows } = await due(db)
        .where(
          'hash',
          'in',
          hashes.map((row) => row.hash as string),
        )
        .executeTakeFirst();
      return Number(numDeletedRows);
    },

    async deleteForAccount(group: string, accountId: string): Promise<number> {
      const { numDeletedRows } = await db
        .deleteFrom(tables.webauthnChallenges)
        .where('group_id', '=', group)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(numDeletedRows);
    },
  };
}
