import type { SigningKeyRecord, SigningKeyRepository } from '../../../core/ports.js';
import type { StorageContext } from './context.js';
import { conflictOnDuplicate } from './errors.js';
import { columnNames, fromRow, signingKeyColumns, toRow } from './mapping.js';

const columns = columnNames(signingKeyColumns);

/**
 * The SQL {@link SigningKeyRepository}. `create` is one INSERT; the primary key on `id` and the unique
 * index on `(group_id, generation)` give concurrent rotations one winner.
 */
export function createSigningKeyRepository({ db, tables }: StorageContext): SigningKeyRepository {
  return {
    async listByGroup(group: string): Promise<SigningKeyRecord[]> {
      const rows = await db
        .selectFrom(tables.signingKeys)
        .select(columns)
        .where('group_id', '=', group)
        .orderBy('generation', 'desc')
        .execute();
      return rows.map((row) => fromRow(signingKeyColumns, row));
    },

    async create(key: SigningKeyRecord): Promise<void> {
      await conflictOnDuplicate(
        () => db.insertInto(tables.signingKeys).values(toRow(signingKeyColumns, key)).execute(),
        'A signing key with this id, or of this generation in the group, already exists.',
      );
    },
  };
}
