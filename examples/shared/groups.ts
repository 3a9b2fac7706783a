/**
 * Whether the demo runs in multi-group mode: `GROUPS=1` (or `true`). Then every latchkey route is under
 * its group, `/auth/{group}/…`; the root group, which manages the others (`/auth/default/groups`), is
 * `default`, and the app's own route is `/api/{group}/me`. Without it the demo serves the one group,
 * `default`, at `/auth/…`.
 *
 * @example
 * ```ts
 * exampleGroups({ GROUPS: '1' }) // true
 * exampleGroups({})              // false
 * ```
 */
export function exampleGroups(env: NodeJS.ProcessEnv): boolean {
  const value = env.GROUPS?.trim().toLowerCase() ?? '';
  return value === '1' || value === 'true';
}
