import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { AUDIT_BATCH } from '../../../src/core/accounts/purge-deleted-accounts.js';
import type { AuditLogRecord, Storage } from '../../../src/index.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { seedGroup } from '../../../src/testing/storage/helpers.js';
import { uid } from '../../../src/testing/storage/records.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  sqliteTestDatabase,
  type ServiceName,
  type TestDatabase,
} from '../../support/services.js';
import { createTestAuth } from '../helpers.js';

const DAY = 86_400;

/** An audit entry of `group` at `time`. */
function entry(group: string, time: Date): AuditLogRecord {
  return {
    id: uid('aud'),
    group,
    time,
    actorId: null,
    actorIp: null,
    action: 'account.lock',
    targetType: 'account',
    targetId: uid('acc'),
    details: null,
  };
}

/** How a test store is opened: the storage, how to close it, and a faster way to store many entries. */
interface Store {
  storage: Storage;
  close?: () => Promise<void>;
  /** Stores `entries` (default: `auditLog.record`, 200 at a time). */
  seed?: (entries: AuditLogRecord[]) => Promise<void>;
}

/** 5,000 entries due and 3 kept; purges with a limit of 1,000 until nothing is left. */
function describeBoundedPurge(open: () => Promise<Store>): void {
  let storage: Storage | undefined;
  let close: (() => Promise<void>) | undefined;
  let seed: Store['seed'];
  const recordMany = async (group: string, count: number, time: (i: number) => Date) => {
    const entries = Array.from({ length: count }, (_, i) => entry(group, time(i)));
    if (seed) await seed(entries);
    else for (let start = 0; start < count; start += 200) await Promise.all(entries.slice(start, start + 200).map((e) => storage!.auditLog.record(e)));
  };
  beforeAll(async () => {
    ({ storage, close, seed } = await open());
  });
  afterAll(async () => {
    await close?.();
  });

  it('auditLog.purge of 5,000 due entries with a limit of 1,000 removes 1,000 a call, oldest first', async () => {
    const { id: group } = await seedGroup(storage!);
    const start = Date.UTC(2001, 0, 1);
    const before = new Date(start + 5_000);
    await recordMany(group, 5_000, (i) => new Date(start + i));
    await recordMany(group, 3, (i) => new Date(before.getTime() + i));
    const removed: number[] = [];
    for (let call = 0; call < 6; call++) {
      removed.push(await storage!.auditLog.purge(before, 1_000));
      // Oldest first: nothing older than the last removed remains.
      expect(await storage!.auditLog.purge(new Date(Math.min(start + 1_000 * (call + 1), before.getTime())), 1)).toBe(0);
    }
    expect(removed).toStrictEqual([1_000, 1_000, 1_000, 1_000, 1_000, 0]);
    expect((await storage!.auditLog.list(group, { limit: 10 })).data).toHaveLength(3);
  });
}

describe('purge in bounded batches', () => {
  describe('memory', () => {
    describeBoundedPurge(async () => ({ storage: memoryStorage() }));

    it(`purgeDeletedAccounts removes at most ${AUDIT_BATCH} audit-log entries a call; calling again drains the rest`, async () => {
      const t = createTestAuth();
      await t.auth.register({ email: 'ada@example.com', password: 'correct horse battery staple' }); // the default group
      const old = new Date(t.clock.now().getTime() - 401 * DAY * 1000);
      for (let i = 0; i < AUDIT_BATCH + 3; i++) await t.storage.auditLog.record(entry('default', old));
      const removed: number[] = [];
      for (let call = 0; call < 3; call++) removed.push((await t.auth.purgeDeletedAccounts()).auditEntriesRemoved);
      expect(removed).toStrictEqual([AUDIT_BATCH, 3, 0]);
    });
  });
});

const databases: { name: string; service: ServiceName | null; open: () => Promise<TestDatabase> }[] = [
  { name: 'kysely/sqlite', service: null, open: () => sqliteTestDatabase() },
  { name: 'kysely/postgres', service: 'postgres', open: () => pgTestDatabase() },
  { name: 'kysely/mysql', service: 'mysql', open: () => mysqlTestDatabase() },
];
for (const database of databases) {
  await describeWithService(database.service, `purge in bounded batches on ${database.name}`, () => {
    describeBoundedPurge(async () => {
      const opened = await database.open();
      await migrate(opened.db);
      // Stored straight into the table, 500 rows a statement: the test is about the purge.
      const seed = async (entries: AuditLogRecord[]) => {
        for (let start = 0; start < entries.length; start += 500) {
          const rows = entries.slice(start, start + 500).map((e) => ({
            group_id: e.group,
            id: e.id,
            occurred_at: e.time.getTime(),
            action: e.action,
            target_type: e.targetType,
            target_id: e.targetId,
          }));
          await opened.db.insertInto('latchkey_audit_log').values(rows).execute();
        }
      };
      return { storage: kyselyStorage(opened.db), close: () => opened.destroy(), seed };
    });
  });
}
