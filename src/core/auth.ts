import type { AuthContext } from './context.js';
import type { EventBus } from './events/event-bus.js';
import type { operations } from './operations.js';
import type { ParsedOptions } from './options.js';
import type { Logger } from './ports.js';

/** An operation as the facade offers it: the context is bound, the caller passes the rest. */
type Bound<Operation> = Operation extends (ctx: AuthContext, ...args: infer Args) => infer Result
  ? (...args: Args) => Result
  : never;

/** The options an instance runs with, defaults filled in, without the secrets it was given. */
export type AuthInstanceOptions = Readonly<Omit<ParsedOptions, 'secret' | 'previousSecrets'>>;

/**
 * A latchkey instance: every operation of the HTTP API as a typed function, made from the one table of
 * operations (`src/core/operations.ts`), so each method shows its operation's documentation.
 *
 * @example
 * ```ts
 * const auth = createAuth({ storage: memoryStorage(), secret: process.env.LATCHKEY_SECRET })
 * const tokens = await auth.login({ email, password })
 * auth.events.on('account.logged-in', (event) => audit(event))
 * ```
 *
 * @interface
 */
export type Auth = { readonly [Name in keyof typeof operations]: Bound<(typeof operations)[Name]> } & {
  /** The options the instance runs with (defaults filled in; the secrets are left out). */
  readonly options: AuthInstanceOptions;
  /**
   * In-process listeners of latchkey's events (`account.created`, `account.logged-in`, …): see
   * `EventBus`. A listener that throws is logged and never fails the operation.
   *
   * @example
   * ```ts
   * const stop = auth.events.on('account.locked', (event) => notifySecurityTeam(event.data.account))
   * stop() // removes the listener
   * ```
   */
  readonly events: EventBus;
  /** The logger latchkey writes to. */
  readonly logger: Logger;
};

/**
 * The names of the operations an `Auth` offers (`'login'`, `'register'`, …).
 *
 * @useDeclaredType
 */
export type OperationName = keyof typeof operations;

/**
 * The input of an operation, by name: every operation's input type without a separate export.
 *
 * @example
 * ```ts
 * const input: OperationInput<'login'> = { email, password, ip: req.ip }
 * ```
 */
export type OperationInput<Name extends OperationName> = Parameters<Auth[Name]>[0];

/**
 * What an operation resolves to, by name.
 *
 * @example
 * ```ts
 * const tokens: OperationResult<'login'> = await auth.login(input) // TokenResponse
 * ```
 */
export type OperationResult<Name extends OperationName> = Awaited<ReturnType<Auth[Name]>>;

