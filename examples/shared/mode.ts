/**
 * How the demo runs. `development`: the `/dev/outbox` and `/dev/sms` routes, and a development secret
 * when `LATCHKEY_SECRET` is unset. `production`: neither; `LATCHKEY_SECRET` is required.
 */
export type ExampleMode = 'development' | 'production';

/**
 * The demo's mode, decided here and nowhere else: `NODE_ENV` unset (or empty), `development` or `test`
 * is development, so that `npm start` works with no set-up; anything else is production, so that a
 * deployment that forgets to say what it is gets the safe answer.
 *
 * @example
 * ```ts
 * exampleMode({})                          // 'development'
 * exampleMode({ NODE_ENV: 'test' })        // 'development'
 * exampleMode({ NODE_ENV: 'production' })  // 'production'
 * exampleMode({ NODE_ENV: 'staging' })     // 'production'
 * ```
 */
export function exampleMode(env: NodeJS.ProcessEnv): ExampleMode {
  const nodeEnv = env.NODE_ENV?.trim() ?? '';
  return nodeEnv === '' || nodeEnv === 'development' || nodeEnv === 'test' ? 'development' : 'production';
}

/**
 * A start-up failure the operator can fix from its message alone (a missing `LATCHKEY_SECRET`, a secret
 * that does not open the stored keys): the servers print that one line, without a stack, and exit 1.
 */
export class ExampleStartError extends Error {
  override readonly name = 'ExampleStartError';
}

/**
 * What the servers do when the start fails: an {@link ExampleStartError} is printed as its one line,
 * anything else with its stack (a bug, or a database that does not answer); the exit code is 1 either way.
 *
 * @example
 * ```ts
 * const example = await createExampleAuth({ port }).catch(exitOnStartError);
 * ```
 */
export function exitOnStartError(error: unknown): never {
  if (error instanceof ExampleStartError) console.error(`[example] ${error.message}`);
  else console.error(error);
  process.exit(1);
}
