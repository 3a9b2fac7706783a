/** One page of a list, as every paginated read of the Storage port returns it. */

/**
 * One page of a list. `nextCursor` is null exactly when nothing is left. Pages are stable: rows added
 * after the first page was read never shift later pages. A malformed cursor, or a `limit` that is not a
 * positive integer, throws `AuthError('validation_failed')`.
 */
export interface Page<T> {
  data: T[];
  /** Pass it back as `cursor` for the next page. Opaque: its form may change between versions. */
  nextCursor: string | null;
}
