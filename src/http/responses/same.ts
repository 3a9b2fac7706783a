/** `T` with every object type spelled out as plain properties, however deep: intersections flattened. */
type Normalize<T> = T extends object ? { [K in keyof T]: Normalize<T[K]> } : T;

/**
 * `true` exactly when `A` and `B` are the same type, once intersections are flattened: a field added,
 * dropped, made optional or retyped on either side makes it `false`. The response schemas use it so that
 * a schema and the core type it describes cannot drift apart without a compile error.
 *
 * @example
 * ```ts
 * true satisfies Same<z.output<typeof account>, AccountResource>
 * ```
 */
export type Same<A, B> =
  (<T>() => T extends Normalize<A> ? 1 : 2) extends <T>() => T extends Normalize<B> ? 1 : 2 ? true : false;

/**
 * `true` when every value of `From` is a value of `To`. For types that come from another library
 * (WebAuthn options, JWKs) or are wider than clients rely on (event data), a schema is checked against
 * the core type in the direction that matters: the core's values fit the schema, or the schema's values
 * are what the library's type promises.
 *
 * @example
 * ```ts
 * true satisfies Assignable<AuthEvent, z.output<typeof event>>
 * ```
 */
export type Assignable<From, To> = [From] extends [To] ? true : false;
