/**
 * Whether the demo runs in multi-group mode: `GROUPS=1` (or `true`), `LATCHKEY_GROUPS=1`, or the
 * `--groups` flag (`npm run start:groups`). Then every latchkey route is under its group,
 * `/auth/{group}/…`; the root group, which manages the others (`/auth/default/groups`), is `default`,
 * and the app's own route is `/api/{group}/me`. Without it the demo serves the one group, `default`,
 * at `/auth/…`.
 *
 * bash reserves `GROUPS` (the user's group ids) and drops `GROUPS=1 npm start` without a word, so the
 * README gives `env GROUPS=1 npm start` and `npm run start:groups`, which work in every shell.
 *
 * @example
 * ```ts
 * exampleGroups({ GROUPS: '1' }, [])            // true
 * exampleGroups({}, ['node', 'server.ts', '--groups']) // true
 * exampleGroups({}, [])                         // false
 * ```
 */
export function exampleGroups(env: NodeJS.ProcessEnv, argv: readonly string[] = process.argv): boolean {
  if (argv.slice(2).includes('--groups')) return true;
  const value = (env.GROUPS ?? env.LATCHKEY_GROUPS)?.trim().toLowerCase() ?? '';
  return value === '1' || value === 'true';
}
