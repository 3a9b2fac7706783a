import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import type { LogFields } from '../../../src/core/ports.js';
import { createTestAuth, PASSWORD } from '../../core/helpers.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  sqliteTestDatabase,
  type ServiceName,
  type TestDatabase,
} from '../../support/services.js';

/**
 * The login history and the audit log are written inside the transaction of a sign-in or an admin
 * action, and a failure to write them is logged, not fatal. On PostgreSQL a failed statement aborts
 * the transaction around it; the repositories' savepoints keep it usable. A real trigger makes the
 * database refuse every history and audit insert here.
 */
const refuseInserts: Record<TestDatabase['dialect'], (table: string) => string[]> = {
  sqlite: (table) => [
    `create trigger refuse_${table} before insert on ${table} begin select raise(abort, 'history is full'); end`,
  ],
  postgres: (table) => [
    `create function refuse_${table}() returns trigger language plpgsql as $$ begin raise exception 'history is full'; end $$`,
    `create trigger refuse_${table} before insert on ${table} for each row execute function refuse_${table}()`,
  ],
  mysql: (table) => [
    `create trigger refuse_${table} before insert on ${table} for each row signal sqlstate '45000' set message_text = 'history is full'`,
  ],
};

const databases: Array<{ service: ServiceName | null; name: string; open: () => Promise<TestDatabase> }> = [
  { service: null, name: 'sqlite', open: () => sqliteTestDatabase() },
  { service: 'postgres', name: 'postgres', open: () => pgTestDatabase() },
  { service: 'mysql', name: 'mysql', open: () => mysqlTestDatabase() },
];

for (const database of databases) {
  await describeWithService(database.service, `a history or audit write that fails inside a transaction (${database.name})`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await database.open();
      await migrate(db.db);
      for (const table of ['latchkey_login_attempts', 'latchkey_audit_log']) {
        for (const statement of refuseInserts[db.dialect](table)) await sql.raw(statement).execute(db.db);
      }
    });
    afterAll(async () => {
      await db?.destroy();
    });

    it('is logged, and the sign-in and the support session it belongs to still succeed', async () => {
      const errors: Array<{ message: string; fields?: LogFields }> = [];
      const logger = {
        debug: () => {},
        info: () => {},
        warn: () => {},
        error: (message: string, fields?: LogFields) => void errors.push({ message, fields }),
      };
      const t = createTestAuth({ storage: kyselyStorage(db.db), logger });
      const account = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
      const tokens = await t.auth.login({ email: 'ada@example.com', password: PASSWORD });
      expect(tokens).toHaveProperty('accessToken');
      expect(errors.map((e) => e.message)).toContain('could not record a login attempt');
      // The sign-in's other writes committed: its session and its event.
      expect(await t.auth.listSessions({ accountId: account.id })).toHaveLength(1);
      expect((await t.auth.listEvents({ event: 'account.logged-in' })).data).toHaveLength(1);

      await t.auth.updateProfile({ accountId: account.id, patch: { allowSupportLogin: true } });
      await t.auth.register({ email: 'root@example.com', password: PASSWORD });
      const admin = await t.storage.accounts.findByEmail('default', 'root@example.com');
      await t.auth.grantRole({ accountId: admin!.id, role: 'admin' });
      const support = await t.auth.startSupportSession({ accountId: account.id, actorId: admin!.id });
      expect(support.accessToken).toBeTruthy();
      expect(errors.map((e) => e.message)).toContain('could not record an admin action in the audit log');
      expect((await t.auth.listEvents({ event: 'support-session.started' })).data).toHaveLength(1);
    });
  });
}
