import { sql, type ForeignKeyConstraintBuilder, type Kysely, type Migration } from 'kysely';
import { inspectDialect } from '../dialect.js';
import type { TableNames } from '../tables.js';
import { columnTypes, createIndex, createTable } from './column-types.js';

/**
 * The transactional outbox and webhook deliveries (issue 17).
 *
 * - `<prefix>outbox_sequences` (`group_id` primary key, `last_sequence` BIGINT): the group's last event
 *   sequence, one row per group (written by `groups.create`, and here for the groups that exist).
 *   `outbox.append` increments it with an UPDATE and reads it back in the same transaction; the row
 *   lock serialises a group's appends, so sequences are distinct and consecutive. A table of its own
 *   rather than a column on the group: in a transaction that already inserted an account (MySQL takes
 *   a shared lock on the group's row for the foreign key), updating the group's row would need the
 *   exclusive lock, and two such transactions would deadlock.
 * - `<prefix>outbox_events`: primary key `(group_id, id)`, unique `(group_id, sequence)` (the feed's
 *   order), `(group_id, event, sequence)` for a feed of one event name, `(occurred_at)` for retention.
 * - `<prefix>webhook_endpoints`: primary key `(group_id, id)` (ULIDs: id order is creation order);
 *   `events` is a JSON array in text, null for every event.
 * - `<prefix>webhook_deliveries`: primary key `(group_id, id)`; `(status, next_attempt_at)` finds due
 *   work; `(group_id, endpoint_id, created_at, id)` pages an endpoint's deliveries and serves its
 *   foreign key; `(group_id, event_id)` finds an event's deliveries. `lease_owner` and
 *   `lease_expires_at` hold a claimed delivery for one dispatcher. No foreign key to the event: the
 *   repositories remove an event's deliveries themselves.
 * - `<prefix>webhook_attempts`: primary key `(group_id, id)`, `(group_id, delivery_id, attempted_at)`.
 *
 * Foreign keys cascade from the group, the endpoint and the delivery. The statements tolerate a second
 * run, as in the earlier migrations.
 */
export function webhooksMigration(tables: TableNames): Migration {
  const { groups, outboxEvents, outboxSequences, webhookEndpoints, webhookDeliveries, webhookAttempts } = tables;
  const indexes = [
    { name: `${outboxEvents}_event_idx`, table: outboxEvents, columns: ['group_id', 'event', 'sequence'] },
    { name: `${outboxEvents}_time_idx`, table: outboxEvents, columns: ['occurred_at'] },
    { name: `${webhookDeliveries}_due_idx`, table: webhookDeliveries, columns: ['status', 'next_attempt_at'] },
    {
      name: `${webhookDeliveries}_endpoint_idx`,
      table: webhookDeliveries,
      columns: ['group_id', 'endpoint_id', 'created_at', 'id'],
    },
    { name: `${webhookDeliveries}_event_idx`, table: webhookDeliveries, columns: ['group_id', 'event_id'] },
    { name: `${webhookAttempts}_delivery_idx`, table: webhookAttempts, columns: ['group_id', 'delivery_id', 'attempted_at'] },
  ];
  return {
    async up(db: Kysely<any>): Promise<void> {
      const dialect = inspectDialect(db).name;
      const t = columnTypes(dialect);
      const cascade = (fk: ForeignKeyConstraintBuilder) => fk.onDelete('cascade');

      await createTable(db, dialect, outboxSequences)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('last_sequence', t.bigInteger, (c) => c.notNull())
        .addPrimaryKeyConstraint(`${outboxSequences}_pkey`, ['group_id'])
        .addForeignKeyConstraint(`${outboxSequences}_group_fkey`, ['group_id'], groups, ['id'], cascade)
        .execute();
      // The groups that exist start at 0; a second run adds only what is missing.
      await db
        .insertInto(outboxSequences)
        .columns(['group_id', 'last_sequence'])
        .expression((eb) =>
          eb
            .selectFrom(groups)
            .select([`${groups}.id`, sql.lit(0).as('last_sequence')])
            .where(({ not, exists, selectFrom }) =>
              not(exists(selectFrom(outboxSequences).select('group_id').whereRef(`${outboxSequences}.group_id`, '=', `${groups}.id`))),
            ),
        )
        .execute();

      await createTable(db, dialect, outboxEvents)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('sequence', t.bigInteger, (c) => c.notNull())
        .addColumn('event', t.key, (c) => c.notNull())
        .addColumn('occurred_at', t.time, (c) => c.notNull())
        .addColumn('payload', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint(`${outboxEvents}_pkey`, ['group_id', 'id'])
        .addUniqueConstraint(`${outboxEvents}_sequence_key`, ['group_id', 'sequence'])
        .addForeignKeyConstraint(`${outboxEvents}_group_fkey`, ['group_id'], groups, ['id'], cascade)
        .execute();

      await createTable(db, dialect, webhookEndpoints)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('url', t.text, (c) => c.notNull())
        .addColumn('events', t.text)
        .addColumn('description', t.text)
        .addColumn('secret_sealed', t.text, (c) => c.notNull())
        .addColumn('previous_secret_sealed', t.text)
        .addColumn('previous_secret_expires_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('disabled_at', t.time)
        .addColumn('disabled_reason', t.text)
        .addPrimaryKeyConstraint(`${webhookEndpoints}_pkey`, ['group_id', 'id'])
        .addForeignKeyConstraint(`${webhookEndpoints}_group_fkey`, ['group_id'], groups, ['id'], cascade)
        .execute();

      await createTable(db, dialect, webhookDeliveries)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('endpoint_id', t.key, (c) => c.notNull())
        .addColumn('event_id', t.key, (c) => c.notNull())
        .addColumn('event', t.key, (c) => c.notNull())
        .addColumn('status', t.key, (c) => c.notNull())
        .addColumn('attempts', t.integer, (c) => c.notNull())
        .addColumn('next_attempt_at', t.time)
        .addColumn('last_attempt_at', t.time)
        .addColumn('last_response_status', t.integer)
        .addColumn('last_error', t.text)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('lease_owner', t.key)
        .addColumn('lease_expires_at', t.time)
        .addPrimaryKeyConstraint(`${webhookDeliveries}_pkey`, ['group_id', 'id'])
        .addForeignKeyConstraint(
          `${webhookDeliveries}_endpoint_fkey`,
          ['group_id', 'endpoint_id'],
          webhookEndpoints,
          ['group_id', 'id'],
          cascade,
        )
        .execute();

      await createTable(db, dialect, webhookAttempts)
        .addColumn('group_id', t.key, (c) => c.notNull())
        .addColumn('id', t.key, (c) => c.notNull())
        .addColumn('delivery_id', t.key, (c) => c.notNull())
        .addColumn('attempted_at', t.time, (c) => c.notNull())
        .addColumn('response_status', t.integer)
        .addColumn('error', t.text)
        .addColumn('duration_ms', t.integer, (c) => c.notNull())
        .addColumn('response_excerpt', t.text)
        .addPrimaryKeyConstraint(`${webhookAttempts}_pkey`, ['group_id', 'id'])
        .addForeignKeyConstraint(
          `${webhookAttempts}_delivery_fkey`,
          ['group_id', 'delivery_id'],
          webhookDeliveries,
          ['group_id', 'id'],
          cascade,
        )
        .execute();

      for (const index of indexes) await createIndex(db, dialect, index);
    },

    async down(db: Kysely<any>): Promise<void> {
      for (const table of [webhookAttempts, webhookDeliveries, webhookEndpoints, outboxEvents, outboxSequences]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
