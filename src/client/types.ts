import type { LatchkeyClientError } from './errors.js';
import type { paths } from './schema.js';

/**
 * A token response: what `POST /login`, `/login/two-factor`, `/token/refresh`, `/account/unlock` and
 * `/webauthn/login/verify` answer (docs/http-api.md, "Tokens"). Read from the schema, so it follows the
 * generated types.
 */
export type TokenResponse = paths['/token/refresh']['post']['responses'][200]['content']['application/json'];

/** The account resource, as every response shows it. */
export type Account = TokenResponse['account'];

/** A second factor that `two_factor_required` can list (`totp`, `email`, `sms`, `webauthn`), as the schema says. */
export type TwoFactorMethod = NonNullable<paths['/login']['post']['responses'][401]['content']['application/json']['methods']>[number];

/** A session has started (or been renewed): the account it belongs to. */
export interface SignedIn {
  status: 'signed_in';
  account: Account;
  /**
   * True when the group requires a second factor and this account has none yet: until it enables one,
   * only the two-factor setup routes answer (others say `two_factor_setup_required`).
   */
  twoFactorSetupRequired: boolean;
}

/**
 * The password was right and the account has a second factor: finish with
 * `completeTwoFactorLogin({ challenge, code })` (or have a code sent first with `sendTwoFactorCode`).
 */
export interface TwoFactorRequired {
  status: 'two_factor_required';
  /** The second factors the account has enabled. */
  methods: TwoFactorMethod[];
  /** Single use, valid for 5 minutes. */
  challenge: string;
}

/** What `login` resolves to. */
export type LoginResult = SignedIn | TwoFactorRequired;

/**
 * What `onSessionChange` listeners hear: a session started (`signed_in`), its tokens were renewed
 * (`refreshed`, with the account as the server sees it now), this client signed out (`signed_out`), or
 * the server ended the session (`ended`: revoked, expired, or a refresh token reused, in `error.code`).
 */
export type SessionChange =
  | { type: 'signed_in'; account: Account }
  | { type: 'refreshed'; account: Account }
  | { type: 'signed_out' }
  | { type: 'ended'; error: LatchkeyClientError };
