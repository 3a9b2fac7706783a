import { describe, expect, it } from 'vitest';
import type { AuditLogRecord, Page, Storage } from '../../core/ports.js';
import { expectAuthError, seedAccount, seedGroup, type SuiteContext } from './helpers.js';
import { at, uid } from './records.js';

const DAY = 24 * 3600_000;
/** The era of the purge test: long before any other entry, so its purge removes this file's entries only. */
const ERA = at(-9500 * DAY).getTime();

/** An audit entry of a random group, unless overridden. */
function makeAuditEntry(overrides: Partial<AuditLogRecord> = {}): AuditLogRecord {
  return {
    id: uid('aud'),
    group: uid('grp'),
    time: at(),
    actorId: null,
    actorIp: null,
    action: 'account.lock',
    targetType: 'account',
    targetId: uid('acc'),
    details: null,
    ...overrides,
  };
}

/** Records one entry of `group` at each offset, in that order; returns them. */
async function recordAt(storage: Storage, group: string, offsets: number[]): Promise<AuditLogRecord[]> {
  const entries = offsets.map((offset) => makeAuditEntry({ group, time: at(offset) }));
  for (const entry of entries) await storage.auditLog.record(entry);
  return entries;
}

/** Newest first: time, then id, descending. */
function newestFirst(entries: AuditLogRecord[]): AuditLogRecord[] {
  return [...entries].sort((a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Every page of the group's log at `limit` per page, checking each page's cursor. */
async function readAll(storage: Storage, group: string, limit: number): Promise<AuditLogRecord[]> {
  const seen: AuditLogRecord[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page<AuditLogRecord> = await storage.auditLog.list(group, { limit, cursor });
    expect(page.data.length).toBeLessThanOrEqual(limit);
    seen.push(...page.data);
    if (page.nextCursor === null) return seen;
    expect(page.data).toHaveLength(limit);
    cursor = page.nextCursor;
  }
  throw new Error('auditLog.list never ended');
}

/** Purges everything before `before`, however many calls it takes. */
async function drain(storage: Storage, before: Date): Promise<void> {
  while ((await storage.auditLog.purge(before, 1_000)) > 0);
}

/** `auditLog`: the administrators' actions, appended, listed newest first by group, purged by age. */
export function describeAuditLog(ctx: SuiteContext): void {
  describe('auditLog', () => {
    it('round-trips every field, nulls, JSON details and values alike', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const admin = await seedAccount(ctx.storage, group);
      const full = makeAuditEntry({
        group, time: at(2), actorId: admin.id, actorIp: '2001:db8::7', action: 'role.grant', targetId: uid('acc'),
        details: { role: 'admin', changed: true, count: 3, none: null, list: ['a', 'é'] },
      });
      const bare = makeAuditEntry({ group, time: at(1) });
      for (const entry of [bare, full]) await ctx.storage.auditLog.record(entry);
      expect(await ctx.storage.auditLog.list(group, { limit: 10 })).toStrictEqual({ data: [full, bare], nextCursor: null });
    });

    it('refuses an id the group already has (conflict), and stores nothing of it', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const entry = makeAuditEntry({ group });
      await ctx.storage.auditLog.record(entry);
      await expectAuthError(ctx.storage.auditLog.record({ ...entry, action: 'account.delete' }), 'conflict');
      expect((await ctx.storage.auditLog.list(group, { limit: 10 })).data).toStrictEqual([entry]);
    });

    it('lists one group only, newest first, time then id descending; empty for a group without entries', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const [e0, e1, e2, e3, e4] = await recordAt(ctx.storage, group, [1_000, 3_000, 2_000, 2_000, 0]);
      await recordAt(ctx.storage, other, [2_500]);
      const [tieFirst, tieSecond] = e2!.id > e3!.id ? [e2, e3] : [e3, e2];
      expect(await ctx.storage.auditLog.list(group, { limit: 10 })).toStrictEqual({
        data: [e1, tieFirst, tieSecond, e0, e4],
        nextCursor: null,
      });
      const { id: empty } = await seedGroup(ctx.storage);
      expect(await ctx.storage.auditLog.list(empty, { limit: 5 })).toStrictEqual({ data: [], nextCursor: null });
    });

    it('pages through everything with no duplicates or gaps, even across ties, and later entries shift nothing', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const entries = await recordAt(ctx.storage, group, [5, 5, 5, 4, 4, 3, 9, 1, 5, 0, 2]);
      const expected = newestFirst(entries);
      for (const limit of [1, 2, 3, 4, 11, 50]) expect(await readAll(ctx.storage, group, limit)).toStrictEqual(expected);

      const first = await ctx.storage.auditLog.list(group, { limit: 4 });
      await recordAt(ctx.storage, group, [10]); // newer than the first page: never on a later one
      const second = await ctx.storage.auditLog.list(group, { limit: 100, cursor: first.nextCursor });
      expect([...first.data, ...second.data]).toStrictEqual(expected);
    });

    it('refuses a malformed cursor and a limit that is not a positive integer (validation_failed)', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      for (const cursor of ['not a cursor', 'e30', Buffer.from('{"t":1.5,"id":"x"}').toString('base64url')]) {
        await expectAuthError(ctx.storage.auditLog.list(group, { limit: 5, cursor }), 'validation_failed');
      }
      for (const limit of [0, -1, 1.5]) await expectAuthError(ctx.storage.auditLog.list(group, { limit }), 'validation_failed');
    });

    it('keeps the entries that name an account after the account is deleted', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const account = await seedAccount(ctx.storage, group);
      const entry = makeAuditEntry({ group, actorId: account.id, targetId: account.id, action: 'account.delete' });
      await ctx.storage.auditLog.record(entry);
      expect(await ctx.storage.accounts.delete(group, account.id)).toBe(true);
      expect((await ctx.storage.auditLog.list(group, { limit: 5 })).data).toStrictEqual([entry]);
    });

    it('purges the entries of every group older than `before`, and only those', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const { id: other } = await seedGroup(ctx.storage);
      const era = (ms: number) => new Date(ERA + ms);
      await drain(ctx.storage, era(0)); // what an earlier run left in the era
      const old = [makeAuditEntry({ group, time: era(1_000) }), makeAuditEntry({ group: other, time: era(1_999) })];
      const kept = [makeAuditEntry({ group, time: era(2_000) }), makeAuditEntry({ group: other, time: era(5_000) })];
      for (const entry of [...old, ...kept]) await ctx.storage.auditLog.record(entry);
      expect(await ctx.storage.auditLog.purge(era(2_000), 100)).toBe(2);
      expect((await ctx.storage.auditLog.list(group, { limit: 5 })).data).toStrictEqual([kept[0]]);
      expect((await ctx.storage.auditLog.list(other, { limit: 5 })).data).toStrictEqual([kept[1]]);
      expect(await ctx.storage.auditLog.purge(era(2_000), 100)).toBe(0);
    });

    it('purges at most `limit` entries a call, so that calling again drains the rest', async () => {
      const { id: group } = await seedGroup(ctx.storage);
      const era = (ms: number) => new Date(ERA + 100_000 + ms);
      await drain(ctx.storage, era(0));
      const old = Array.from({ length: 7 }, (_, i) => makeAuditEntry({ group, time: era(10 + i) }));
      const kept = makeAuditEntry({ group, time: era(1_000) });
      for (const entry of [...old, kept]) await ctx.storage.auditLog.record(entry);
      const removed: number[] = [];
      for (let call = 0; call < 4; call++) removed.push(await ctx.storage.auditLog.purge(era(1_000), 3));
      expect(removed).toStrictEqual([3, 3, 1, 0]);
      expect((await ctx.storage.auditLog.list(group, { limit: 10 })).data).toStrictEqual([kept]);
    });
  });
}
