import type { JWK } from 'jose';
import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { ensureGroupExists } from '../internal/groups/require-group.js';

/** The `jwks` operation of `Auth`: the one place its documentation lives. */
export const jwksOperation = {
  /**
   * The group's published public keys (`GET /.well-known/jwks.json`): the current signing key and the
   * retired ones whose tokens may not have expired yet. Never a private part.
   *
   * @throws AuthError `not_found` for an unknown group
   * @example
   * ```ts
   * const { keys } = await auth.jwks()
   * ```
   */
  jwks,
};

/** See {@link jwksOperation}. */
export async function jwks(ctx: AuthContext, input: { group?: string } = {}): Promise<{ keys: JWK[] }> {
  const group = input.group ?? DEFAULT_GROUP;
  await ensureGroupExists(ctx, group);
  return { keys: await ctx.keys.published(group) };
}
