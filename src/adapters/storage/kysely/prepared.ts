import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from 'kysely';
import type { StorageContext } from './context.js';

/** A query compiled once and run with new parameters: see {@link prepared}. */
export type PreparedQuery<A extends unknown[]> = (executor: Kysely<any>, ...args: A) => Promise<PreparedResult>;

/** The rows a prepared query read, and how many rows it changed. */
export interface PreparedResult {
  rows: Row[];
  changed: bigint;
}

type Row = Record<string, unknown>;

/** Compiled SQL by storage (its table names object, one per `kyselyStorage` call), then by query name. */
const compiledByStorage = new WeakMap<object, Map<string, Compiled>>();

interface Compiled {
  sql: string;
  /** For each bound parameter: the argument it takes (a number), or the constant it keeps. */
  slots: Array<{ arg: number } | { value: unknown }>;
  query: CompiledQuery['query'];
}

/**
 * A query on the hot path (a session, an account, a refresh token by its hash), built with Kysely's
 * builder once per storage and then run as compiled SQL with each call's arguments. Building and
 * compiling a query costs several times what SQLite takes to answer it; the SQL never changes, only
 * the values bound to it.
 *
 * `build` receives one placeholder per argument and must use each of them as a bound value (in a
 * `where`, `set` or `values`, whatever the value's type at run time), never as an identifier. The
 * placeholders are found in the compiled parameters by identity, so the query may bind constants of
 * its own too.
 *
 * @example
 * ```ts
 * const byId = prepared(ctx, 'sessions.byId', 2, (db, group, id) =>
 *   db.selectFrom(tables.sessions).select(columns).where('group_id', '=', group).where('id', '=', id))
 * const [row] = (await byId(ctx.db, 'default', 'ses_…')).rows
 * ```
 */
export function prepared<A extends unknown[]>(
  ctx: StorageContext,
  name: string,
  arity: A['length'],
  build: (db: Kysely<any>, ...placeholders: string[]) => Compilable,
): PreparedQuery<A> {
  // Kept per storage, not per repository: a transaction's repositories are made anew for each transaction.
  const compile = (): Compiled => {
    let byName = compiledByStorage.get(ctx.tables);
    if (!byName) compiledByStorage.set(ctx.tables, (byName = new Map()));
    let found = byName.get(name);
    if (!found) {
      const placeholders = Array.from({ length: arity }, (_, i) => `\u0000latchkey-placeholder-${i}\u0000`);
      const query = build(ctx.db, ...placeholders).compile();
      const slots = query.parameters.map((value) => {
        const arg = typeof value === 'string' ? placeholders.indexOf(value) : -1;
        return arg >= 0 ? { arg } : { value };
      });
      const used = new Set(slots.flatMap((slot) => ('arg' in slot ? [slot.arg] : [])));
      if (used.size !== arity) throw new Error(`latchkey: prepared query ${name} does not bind each of its ${arity} arguments`);
      found = { sql: query.sql, slots, query: query.query };
      byName.set(name, found);
    }
    return found;
  };
  return async (executor, ...args) => {
    const compiled = compile();
    const parameters = compiled.slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value));
    const query: CompiledQuery = { sql: compiled.sql, parameters, query: compiled.query, queryId: createQueryId() };
    // Straight to the connection: the storage's Kysely has no plugins (see `kyselyStorage`), so the
    // executor's result transformation would only add steps to every query.
    const result = await executor.getExecutor().provideConnection((connection) => connection.executeQuery(query));
    return { rows: result.rows as Row[], changed: result.numAffectedRows ?? 0n };
  };
}
