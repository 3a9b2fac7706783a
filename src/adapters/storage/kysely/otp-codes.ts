import type { Kysely } from 'kysely';
import type { OtpAttemptResult, OtpChannel, OtpCodeRecord, OtpCodeRepository, OtpPurpose } from '../../../core/ports.js';
import { lockAccount, transact, type StorageContext } from './context.js';
import { columnNames, fromRow, otpCodeColumns, toRow } from './mapping.js';

const columns = columnNames(otpCodeColumns);

/** The primary key of a code. */
type OtpKey = Pick<OtpCodeRecord, 'group' | 'accountId' | 'channel' | 'purpose'>;

/** Unconsumed and not expired at `at`. */
function isLive(code: OtpCodeRecord, at: Date): boolean {
  return code.consumedAt === null && code.expiresAt.getTime() > at.getTime();
}

/**
 * The SQL {@link OtpCodeRepository}. `issue` and `attempt` are each one transaction that reads the code
 * with `SELECT … FOR UPDATE` (SQLite runs one transaction at a time and has no such clause), decides,
 * and writes: concurrent attempts take turns on the row lock, each seeing the one before it, so one
 * right code is accepted once and wrong codes are counted one by one up to the limit. `issue` first
 * locks the account (see `lockAccount`), so that two issues of a code nobody has yet do not both
 * insert; it updates a previous row in place rather than replacing it, so an attempt waiting for the
 * row goes on to see the new code. `deleteForAccount` is one DELETE on the primary key's prefix
 * `(group_id, account_id)`.
 */
export function createOtpCodeRepository(ctx: StorageContext): OtpCodeRepository {
  const { db, tables, dialect } = ctx;

  const read = async (executor: Kysely<any>, key: OtpKey, lock: boolean): Promise<OtpCodeRecord | null> => {
    const query = executor
      .selectFrom(tables.otpCodes)
      .select(columns)
      .where('group_id', '=', key.group)
      .where('account_id', '=', key.accountId)
      .where('channel', '=', key.channel)
      .where('purpose', '=', key.purpose);
    const row = await (lock && dialect.name !== 'sqlite' ? query.forUpdate() : query).executeTakeFirst();
    return row ? fromRow(otpCodeColumns, row) : null;
  };

  const write = (executor: Kysely<any>, key: OtpKey, patch: Partial<OtpCodeRecord>) =>
    executor
      .updateTable(tables.otpCodes)
      .set(toRow(otpCodeColumns, patch, ['group', 'accountId', 'channel', 'purpose']))
      .where('group_id', '=', key.group)
      .where('account_id', '=', key.accountId)
      .where('channel', '=', key.channel)
      .where('purpose', '=', key.purpose)
      .execute();

  return {
    async issue(code: OtpCodeRecord): Promise<void> {
      await transact(ctx, async (trx) => {
        if (!(await lockAccount(ctx, trx, code.group, code.accountId))) return;
        const previous = await read(trx, code, true);
        const attempts = previous && isLive(previous, code.createdAt) ? previous.attempts : code.attempts;
        if (previous) await write(trx, code, { ...code, attempts });
        else await trx.insertInto(tables.otpCodes).values(toRow(otpCodeColumns, { ...code, attempts })).execute();
      });
    },

    async attempt(group, accountId, channel, purpose, codeHash, at, maxAttempts): Promise<OtpAttemptResult> {
      const key: OtpKey = { group, accountId, channel, purpose };
      return transact(ctx, async (trx) => {
        const code = await read(trx, key, true);
        if (!code || !isLive(code, at)) return 'missing';
        if (code.attempts >= maxAttempts) return 'exhausted';
        if (code.codeHash === codeHash) {
          await write(trx, key, { consumedAt: at });
          return 'accepted';
        }
        await write(trx, key, { attempts: code.attempts + 1 });
        return 'rejected';
      });
    },

    async find(group: string, accountId: string, channel: OtpChannel, purpose: OtpPurpose): Promise<OtpCodeRecord | null> {
      return read(db, { group, accountId, channel, purpose }, false);
    },

    async deleteForAccount(group: string, accountId: string): Promise<number> {
      const { numDeletedRows } = await db
        .deleteFrom(tables.otpCodes)
        .where('group_id', '=', group)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(numDeletedRows);
    },
  };
}
