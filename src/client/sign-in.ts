import type { Client } from 'openapi-fetch';
import { errorFromAnswer } from './errors.js';
import type { paths } from './schema.js';
import type { SessionKeeper } from './session-keeper.js';
import type { Account, LoginResult, SignedIn, TokenResponse, TwoFactorMethod } from './types.js';

/** What the signed-out operations work with: the API without bearer, and the session to start. */
export interface SignInContext {
  api: Client<paths>;
  keeper: SessionKeeper;
}

/** `register`'s input: `POST /accounts`. */
export interface RegisterInput {
  email: string;
  password: string;
  name?: { first?: string | null; last?: string | null };
}

/** `login`'s input: `POST /login`; a second factor may come along at once (one-shot login). */
export interface LoginInput {
  email: string;
  password: string;
  twoFactorCode?: string;
  twoFactorRecoveryCode?: string;
}

/**
 * `completeTwoFactorLogin`'s input: the challenge of `two_factor_required`, and a code (with `method`,
 * which factor it is from, when the account has several) or a recovery code.
 */
export type CompleteTwoFactorInput = { challenge: string } & (
  | { code: string; method?: 'totp' | 'email' | 'sms'; recoveryCode?: never }
  | { recoveryCode: string; code?: never; method?: never }
);

/** `sendTwoFactorCode`'s input: the challenge, and where the code should go. */
export interface SendTwoFactorCodeInput {
  challenge: string;
  method: 'email' | 'sms';
}

/**
 * `POST /accounts`. Answers the account even for an address already registered (the owner gets a
 * notice instead: no enumeration); it does not sign in.
 *
 * @throws LatchkeyClientError `validation_failed`, `registration_closed`, `rate_limited`
 * @example
 * ```ts
 * const account = await register(context, { email: 'ada@example.com', password })
 * ```
 */
export async function register(context: SignInContext, input: RegisterInput): Promise<Account> {
  const { data, error, response } = await context.api.POST('/accounts', { body: input });
  if (!response.ok || data === undefined) throw errorFromAnswer(response, error);
  return data;
}

/**
 * `POST /login`: signed in (tokens kept), or told which second factor to ask for.
 *
 * @throws LatchkeyClientError `invalid_credentials`, `invalid_two_factor`, `account_locked`,
 * `email_not_verified`, `rate_limited`, `validation_failed`
 * @example
 * ```ts
 * const result = await login(context, { email, password })
 * if (result.status === 'two_factor_required') askForCode(result.methods, result.challenge)
 * ```
 */
export async function login(context: SignInContext, input: LoginInput): Promise<LoginResult> {
  const { data, error, response } = await context.api.POST('/login', { body: input });
  if (response.ok && data !== undefined) return start(context, data);
  const required = twoFactorRequired(error);
  if (required) return required;
  throw errorFromAnswer(response, error);
}

/**
 * `POST /login/two-factor` with a code (authenticator, or one sent by email or SMS) or a recovery code.
 *
 * @throws LatchkeyClientError `invalid_two_factor`, `invalid_token` (the challenge is unknown, used or
 * older than 5 minutes: log in again), `rate_limited`
 * @example
 * ```ts
 * await completeTwoFactorLogin(context, { challenge, code: '123456' })
 * ```
 */
export async function completeTwoFactorLogin(context: SignInContext, input: CompleteTwoFactorInput): Promise<SignedIn> {
  const { data, error, response } = await context.api.POST('/login/two-factor', { body: input });
  if (response.status !== 200 || data === undefined) throw errorFromAnswer(response, error);
  return start(context, data);
}

/**
 * `POST /login/two-factor` with `method` alone: a code is sent by email or SMS, to be given to
 * {@link completeTwoFactorLogin} with the same challenge.
 *
 * @throws LatchkeyClientError `invalid_token`, `rate_limited`, `mail_delivery_failed`, `sms_delivery_failed`
 * @example
 * ```ts
 * await sendTwoFactorCode(context, { challenge, method: 'email' })
 * ```
 */
export async function sendTwoFactorCode(context: SignInContext, input: SendTwoFactorCodeInput): Promise<void> {
  const { error, response } = await context.api.POST('/login/two-factor', { body: input });
  if (!response.ok) throw errorFromAnswer(response, error);
}

/**
 * Keeps the tokens of a token response and tells the listeners: after any sign-in the client did not
 * make itself (a passkey, `POST /account/unlock`).
 *
 * @example
 * ```ts
 * const tokens = unwrap(await client.POST('/webauthn/login/verify', { body: { credential } }))
 * await start(context, tokens)
 * ```
 */
export async function start(context: SignInContext, tokens: TokenResponse): Promise<SignedIn> {
  await context.keeper.adopt(tokens);
  return { status: 'signed_in', account: tokens.account, twoFactorSetupRequired: tokens.twoFactorSetupRequired === true };
}

/** The typed result of a `two_factor_required` body (with its challenge: a login's, not a reset's). */
function twoFactorRequired(body: unknown): LoginResult | null {
  const value = body as { error?: { code?: unknown }; methods?: unknown; challenge?: unknown } | undefined;
  if (value?.error?.code !== 'two_factor_required' || typeof value.challenge !== 'string') return null;
  const methods = Array.isArray(value.methods) ? (value.methods as TwoFactorMethod[]) : [];
  return { status: 'two_factor_required', methods, challenge: value.challenge };
}
