import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tableNames } from '../adapters/storage/kysely/tables.js';
import { connectDatabase, describeError, parseDatabaseUrl, type DatabaseConnection, type DatabaseTarget } from './connect.js';
import { redactSecrets, redactUrl } from './redact-url.js';
import { GRANT_ROLE_HELP, IMPORT_HELP } from './role-help.js';
import { ROLE_NAME } from '../core/internal/accounts/roles.js';

/** `latchkey`'s exit codes. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Where the CLI writes and what it reads besides its arguments; tests pass their own. */
export interface CliIo {
  /** One line of output (no trailing newline). */
  stdout(line: string): void;
  /** One line of diagnostics (no trailing newline). */
  stderr(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Text written to stderr as it is (no newline): set only when stderr is a terminal, for progress bars. */
  progress?: ((text: string) => void) | undefined;
}

const HELP = `Usage: latchkey <command> [options]

Commands:
  migrate       Create or update latchkey's tables in a database
  grant-role    Grant a role to an account (the first admin: --role admin)
  revoke-role   Take a role back from an account
  import        Import accounts from a CSV or JSON Lines file over the HTTP API

Run "latchkey <command> --help" for its options.`;

const MIGRATE_HELP = `Usage: latchkey migrate [--url <database-url>] [--table-prefix <prefix>] [--dry-run]

Runs latchkey's pending migrations (the same as calling migrate(db) from latchkey/kysely).

Options:
  --url <database-url>     postgres://user:password@host:5432/db, mysql://… (or mariadb://…),
                           sqlite:<path> or a file path; default: the DATABASE_URL environment variable.
                           PostgreSQL: add ?options=-c%20search_path%3Dmyschema to use schema myschema.
  --table-prefix <prefix>  the tablePrefix given to kyselyStorage (default latchkey_)
  --dry-run                print the pending migrations and their SQL; change nothing
  -h, --help               this help

Exit codes: 0 done (or nothing to do), 1 the database failed, 2 bad arguments.`;

const DIALECT_LABELS = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB', sqlite: 'SQLite' } as const;

class UsageError extends Error {}

/**
 * The `latchkey` command line: `latchkey migrate --url <database-url> [--table-prefix p] [--dry-run]`, and
 * `latchkey grant-role|revoke-role --url <database-url> [--group <id>] --email <address> --role <role>`.
 * Never prints a password from the URL. Returns the exit code instead of exiting, so it runs in-process.
 *
 * @param argv - The arguments after the program name (`process.argv.slice(2)`).
 * @param io - Output and environment (default: the process's).
 * @returns {@link EXIT_OK}, {@link EXIT_FAILURE} (the database failed, or no such account) or {@link EXIT_USAGE} (bad arguments)
 *
 * @example
 * ```ts
 * process.exitCode = await main(['migrate', '--url', 'sqlite:./data/app.sqlite', '--dry-run']);
 * ```
 */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const out: CliIo = {
    stdout: io.stdout ?? ((line) => process.stdout.write(`${line}\n`)),
    stderr: io.stderr ?? ((line) => process.stderr.write(`${line}\n`)),
    env: io.env ?? process.env,
    progress: io.progress ?? (!io.stderr && process.stderr.isTTY ? (text) => process.stderr.write(text) : undefined),
  };
  try {
    return await run(argv, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`latchkey: ${error.message}`);
      out.stderr('Run "latchkey --help" for usage.');
      return EXIT_USAGE;
    }
    throw error;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        'table-prefix': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        group: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(describeError(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (command === undefined || command === 'help') {
    if (values.help || command === 'help') {
      io.stdout(HELP);
      return EXIT_OK;
    }
    throw new UsageError('no command given.');
  }
  if (command !== 'migrate' && command !== 'grant-role' && command !== 'revoke-role' && command !== 'import') {
    throw new UsageError(`unknown command "${command}".`);
  }
  if (values.help) {
    io.stdout(command === 'migrate' ? MIGRATE_HELP : command === 'import' ? IMPORT_HELP : GRANT_ROLE_HELP);
    return EXIT_OK;
  }
  if (command === 'import') return runImport(values, rest, io);
  const misplaced = command === 'migrate' ? (['group', 'email', 'role'] as const).find((o) => values[o] !== undefined) : values['dry-run'] ? 'dry-run' : undefined;
  if (misplaced) throw new UsageError(`"${command}" takes no --${misplaced}.`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}".`);

  const url = values.url ?? io.env.DATABASE_URL;
  if (!url) throw new UsageError('no database: pass --url <database-url> or set DATABASE_URL.');
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(url);
    tableNames({ tablePrefix: values['table-prefix'] });
  } catch (error) {
    throw new UsageError(redactSecrets(describeError(error), url));
  }
  if (command === 'migrate') {
    return migrateCommand({ url, target, tablePrefix: values['table-prefix'], dryRun: values['dry-run'] }, io);
  }
  const { email, role, group } = values;
  if (!email) throw new UsageError(`"${command}" needs --email <address>.`);
  if (!role) throw new UsageError(`"${command}" needs --role <role>.`);
  if (!ROLE_NAME.test(role)) throw new UsageError(`"${role}" is not a role name (a lower-case letter, then up to 31 of a-z, 0-9, _ and -).`);
  if (group !== undefined && group.trim() === '') throw new UsageError('--group is empty.');
  const where = target.dialect === 'sqlite' ? target.file : redactUrl(target.url);
  const { roleCommand } = await import('./role-command.js');
  return roleCommand({ command, url, where, tablePrefix: values['table-prefix'], group, email, role }, io);
}

/** `latchkey import --url <auth base URL> [--group <id>] <file.csv|file.jsonl>`, the token from LATCHKEY_TOKEN. */
async function runImport(values: Record<string, string | boolean | undefined>, files: string[], io: CliIo): Promise<number> {
  const misplaced = (['table-prefix', 'email', 'role', 'dry-run'] as const).find((o) => values[o] !== undefined && values[o] !== false);
  if (misplaced) throw new UsageError(`"import" takes no --${misplaced}.`);
  const url = values.url;
  if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url)) throw new UsageError('"import" needs --url <auth base URL>, e.g. http://localhost:3000/auth.');
  const group = values.group;
  if (typeof group === 'string' && group.trim() === '') throw new UsageError('--group is empty.');
  const [file, ...extra] = files;
  if (file === undefined) throw new UsageError('"import" needs a file: accounts.csv or accounts.jsonl.');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}".`);
  const format = /\.csv$/i.test(file) ? 'csv' : /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : null;
  if (!format) throw new UsageError(`"${file}" is neither .csv nor .jsonl.`);
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}.`);
  const token = io.env.LATCHKEY_TOKEN;
  if (!token) throw new UsageError('set LATCHKEY_TOKEN to an admin\'s access token (never pass it as an argument).');
  const { importCommand } = await import('./import-command.js');
  return importCommand({ url, group: typeof group === 'string' ? group : undefined, file, format, token }, io);
}

interface MigrateArgs {
  url: string;
  target: DatabaseTarget;
  tablePrefix: string | undefined;
  dryRun: boolean;
}

async function migrateCommand(args: MigrateArgs, io: CliIo): Promise<number> {
  const { url, target, dryRun } = args;
  const options = { tablePrefix: args.tablePrefix };
  const where = target.dialect === 'sqlite' ? target.file : redactUrl(target.url);
  const prefix = tableNames(options).prefix;
  io.stdout(`latchkey migrate${dryRun ? ' --dry-run' : ''}: ${DIALECT_LABELS[target.dialect]} ${where}, table prefix "${prefix}"`);

  let connection: DatabaseConnection | undefined;
  try {
    connection = await connectDatabase(url, { readOnly: dryRun });
    const { migrate, planMigrations } = await import('../adapters/storage/kysely/migrations/index.js');
    if (dryRun) {
      const plan = await planMigrations(connection.db, options);
      if (target.dialect === 'sqlite' && target.file !== ':memory:' && !existsSync(target.file)) {
        io.stdout('The file does not exist yet: a real run creates it.');
      }
      io.stdout(`Already applied: ${plan.applied.length === 0 ? 'none' : plan.applied.join(', ')}`);
      if (plan.pending.length === 0) {
        io.stdout('Up to date: no pending migrations. Dry run: nothing was changed.');
        return EXIT_OK;
      }
      io.stdout(`Pending (${plan.pending.length}): ${plan.pending.join(', ')}`);
      await printSql(connection, options, url, io);
      io.stdout('Dry run: nothing was changed.');
      return EXIT_OK;
    }
    const { applied } = await migrate(connection.db, options);
    io.stdout(applied.length === 0 ? 'Up to date: no pending migrations.' : `Applied (${applied.length}): ${applied.join(', ')}`);
    return EXIT_OK;
  } catch (error) {
    io.stderr(`latchkey migrate: ${redactSecrets(describeError(error), url)}`);
    return EXIT_FAILURE;
  } finally {
    await connection?.close().catch(() => {});
  }
}

/** The SQL of the pending migrations; when that cannot be computed, the names above must do. */
async function printSql(
  connection: DatabaseConnection,
  options: { tablePrefix: string | undefined },
  url: string,
  io: CliIo,
): Promise<void> {
  const { previewMigrations } = await import('./preview-migrations.js');
  let preview;
  try {
    preview = await previewMigrations(connection.db, options);
  } catch (error) {
    io.stderr(`(The SQL could not be previewed: ${redactSecrets(describeError(error), url)})`);
    return;
  }
  for (const migration of preview.migrations) {
    io.stdout('');
    io.stdout(`-- ${migration.name}`);
    for (const statement of migration.statements) io.stdout(statement);
  }
  if (preview.bookkeeping.length > 0) {
    io.stdout('');
    io.stdout('-- bookkeeping (Kysely Migrator: migration tables, lock, one row per migration)');
    for (const statement of preview.bookkeeping) io.stdout(statement);
  }
  io.stdout('');
}
