import type { AuthContext } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';

/** What `auth.checkSecret` takes: which groups' stored signing keys to try the secrets on. */
export interface CheckSecretInput {
  /**
   * Groups to check besides the default one and those this instance has already used (storage cannot
   * list groups): in a multi-group app, pass the ids you know of.
   */
  groups?: readonly string[];
}

/** The `checkSecret` operation of `Auth`: the one place its documentation lives. */
export const checkSecretOperation = {
  /**
   * Checks, at start-up, that `secret` (or one of `previousSecrets`) opens the signing keys stored in the
   * database. A changed `secret` otherwise shows only later: every stored private key is unreadable, and
   * the first login in each group logs an error and makes a new key. An empty database passes.
   *
   * The message names the options, never a secret or a key.
   *
   * @throws Error when no configured secret opens any stored key of a checked group
   * @example
   * ```ts
   * const auth = createAuth({ storage, secret: process.env.LATCHKEY_SECRET })
   * await auth.checkSecret() // before serving: a changed secret stops the start, not the first login
   * ```
   */
  checkSecret,
};

/** See {@link checkSecretOperation}. */
export async function checkSecret(ctx: AuthContext, input: CheckSecretInput = {}): Promise<void> {
  const groups = new Set([DEFAULT_GROUP, ...ctx.knownGroups, ...(input.groups ?? [])]);
  const unreadable: string[] = [];
  for (const group of groups) {
    if (!(await ctx.keys.canOpen(group))) unreadable.push(group);
  }
  if (unreadable.length === 0) return;
  const which = unreadable.map((group) => `"${group}"`).join(', ');
  throw new Error(
    `latchkey: the \`secret\` option cannot open the signing keys stored in the database (group ${which}): ` +
      '`secret` has changed since they were sealed. Pass the old secret in `previousSecrets` (newest first) ' +
      'so that existing keys, TOTP secrets and recovery codes keep working while they move to the new one, ' +
      'or restore the old `secret`.',
  );
}
