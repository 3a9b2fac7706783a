import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { PURGE_JOB, PURGE_LEASE_MS, type PurgeResult } from '../../../src/core/accounts/purge-deleted-accounts.js';
import type { Logger, Storage } from '../../../src/index.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  sqliteTestDatabase,
  type ServiceName,
  type TestDatabase,
} from '../../support/services.js';
import { proxyStorage } from '../../support/storage-proxy.js';
import { createTestAuth, manualClock, PASSWORD, type TestAuth } from '../helpers.js';

const SKIPPED: PurgeResult = {
  purged: 0,
  challengesRemoved: 0,
  loginAttemptsRemoved: 0,
  auditEntriesRemoved: 0,
  eventsRemoved: 0,
  skipped: true,
};

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A gate that holds the calls passed through it until opened. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * An instance on `storage` (no deleted-account retention), whose purge waits at `hold` when it reaches
 * the deleted accounts, that is once it holds the lease.
 */
function instance(
  storage: Storage,
  hold: Promise<void>,
): TestAuth & { logger: ReturnType<typeof recordingLogger>; reached: Promise<void> } {
  const logger = recordingLogger();
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const held = proxyStorage(storage, (repository, method, _args, call) => {
    if (repository !== 'accounts' || method !== 'listDeletedBefore') return call();
    reach();
    return hold.then(call);
  });
  return { ...createTestAuth({ storage: held, logger, deletedAccountRetention: 0, clock: manualClock() }), logger, reached };
}

/** Registers and deletes `count` accounts through `t`; returns their ids. */
async function deletedAccounts(t: TestAuth, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await t.auth.register({ email: `gone-${i}-${Date.now()}@example.com`, password: PASSWORD });
    await t.auth.deleteAccount({ group: 'default', accountId: id, password: PASSWORD });
    ids.push(id);
  }
  return ids;
}

/** The two-instance race, on the storage `open` gives. */
function describeTwoInstances(open: () => Promise<{ storage: Storage; close?: () => Promise<void> }>): void {
  let storage: Storage | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ storage, close } = await open());
  });
  afterAll(async () => {
    await close?.();
  });

  it('two instances purging at once: one does the work, the other is skipped at once and logs it at debug', async () => {
    const { opened, open: release } = gate();
    const a = instance(storage!, opened);
    const b = instance(storage!, opened);
    const ids = await deletedAccounts(a, 3);
    a.clock.advance(1);
    b.clock.advance(1);

    const calls = [a.auth.purgeDeletedAccounts(), b.auth.purgeDeletedAccounts()];
    // The one holding the lease waits at the gate: the first to answer is the other one, skipped.
    const first = await Promise.race(calls);
    expect(first).toStrictEqual(SKIPPED);
    release();
    const results = await Promise.all(calls);
    const worker = results.findIndex((result) => !result.skipped);
    expect(results.filter((result) => result.skipped)).toHaveLength(1);
    expect(results[worker]).toMatchObject({ purged: 3, skipped: false });
    for (const id of ids) expect(await storage!.accounts.findById('default', id)).toBeNull();

    const skipper = [a, b][1 - worker]!;
    expect(skipper.logger.lines).toContainEqual({
      level: 'debug',
      message: 'background job skipped: another call holds its lease',
      fields: { job: PURGE_JOB },
    });
    expect(skipper.logger.lines.filter((line) => line.level !== 'debug' && /purge/.test(line.message))).toStrictEqual([]);

    // The lease was released: the next call, on either instance, gets it.
    expect(await [a, b][1 - worker]!.auth.purgeDeletedAccounts()).toMatchObject({ purged: 0, skipped: false });
    expect(await [a, b][worker]!.auth.purgeDeletedAccounts()).toMatchObject({ purged: 0, skipped: false });
  });
}

describe('purgeDeletedAccounts: one instance at a time', () => {
  describe('memory', () => {
    describeTwoInstances(async () => ({ storage: memoryStorage() }));

    it('two overlapping calls of one instance: the second is skipped too', async () => {
      const { opened, open } = gate();
      const a = instance(memoryStorage(), opened);
      const calls = [a.auth.purgeDeletedAccounts(), a.auth.purgeDeletedAccounts()];
      expect(await Promise.race(calls)).toStrictEqual(SKIPPED);
      open();
      expect((await Promise.all(calls)).map((result) => result.skipped).sort()).toStrictEqual([false, true]);
    });

    it('a holder that died blocks the purge until its lease runs out, then the purge goes on', async () => {
      const t = createTestAuth();
      await t.storage.jobLeases.acquire(PURGE_JOB, 'crashed-instance', t.clock.now(), PURGE_LEASE_MS);
      expect(await t.auth.purgeDeletedAccounts()).toStrictEqual(SKIPPED);
      t.clock.advance(PURGE_LEASE_MS / 1000 - 0.001);
      expect(await t.auth.purgeDeletedAccounts()).toStrictEqual(SKIPPED);
      t.clock.advance(0.001);
      expect(await t.auth.purgeDeletedAccounts()).toMatchObject({ skipped: false });
    });

    it('releases the lease when a step fails', async () => {
      let fail = true;
      const storage = proxyStorage(memoryStorage(), (repository, method, _args, call) => {
        if (repository === 'auditLog' && method === 'purge' && fail) {
          fail = false;
          return Promise.reject(new Error('database went away'));
        }
        return call();
      });
      const t = createTestAuth({ storage });
      await expect(t.auth.purgeDeletedAccounts()).rejects.toThrow('database went away');
      expect(await t.auth.purgeDeletedAccounts()).toMatchObject({ skipped: false });
    });

    it('stops between steps when its lease ran out and another call took it over', async () => {
      const { opened, open } = gate();
      const inner = memoryStorage();
      const a = instance(inner, opened);
      const ids = await deletedAccounts(a, 2);
      a.clock.advance(1);
      const call = a.auth.purgeDeletedAccounts();
      await a.reached; // it now waits at the gate, lease held
      a.clock.advance(PURGE_LEASE_MS / 1000);
      expect(await inner.jobLeases.acquire(PURGE_JOB, 'another-instance', a.clock.now(), PURGE_LEASE_MS)).toBe(true);
      open();
      expect(await call).toStrictEqual({ ...SKIPPED, purged: 2 });
      for (const id of ids) expect(await inner.accounts.findById('default', id)).toBeNull();
      expect(a.logger.lines.map((line) => line.message)).toContain('purge stopped: its lease ran out and another call took it over');
      // It did not release the lease that is no longer its own.
      expect(await inner.jobLeases.acquire(PURGE_JOB, 'a-third-instance', a.clock.now(), PURGE_LEASE_MS)).toBe(false);
    });
  });
});

const databases: { name: string; service: ServiceName | null; open: () => Promise<TestDatabase> }[] = [
  { name: 'kysely/sqlite', service: null, open: () => sqliteTestDatabase() },
  { name: 'kysely/postgres', service: 'postgres', open: () => pgTestDatabase() },
  { name: 'kysely/mysql', service: 'mysql', open: () => mysqlTestDatabase() },
];
for (const database of databases) {
  await describeWithService(database.service, `purgeDeletedAccounts: one instance at a time on ${database.name}`, () => {
    describeTwoInstances(async () => {
      const opened = await database.open();
      await migrate(opened.db);
      return { storage: kyselyStorage(opened.db), close: () => opened.destroy() };
    });
  });
}
