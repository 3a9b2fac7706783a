import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { ensureGroupExists } from '../internal/groups/require-group.js';

/** The `rotateSigningKey` operation of `Auth`: the one place its documentation lives. */
export const rotateSigningKeyOperation = {
  /**
   * Makes a new current signing key for the group; the old public keys stay published until the tokens
   * they signed have expired, so nobody is signed out.
   *
   * @throws AuthError `not_found` for an unknown group
   * @example
   * ```ts
   * const { kid } = await auth.rotateSigningKey()
   * ```
   */
  rotateSigningKey,
};

/** See {@link rotateSigningKeyOperation}. */
export async function rotateSigningKey(ctx: AuthContext, input: { group?: string } = {}): Promise<{ kid: string }> {
  const group = input.group ?? DEFAULT_GROUP;
  await ensureGroupExists(ctx, group);
  return { kid: (await ctx.keys.rotate(group)).id };
}
