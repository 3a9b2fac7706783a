import { scryptHasher } from '../adapters/password/scrypt.js';
import { memoryRateLimiter } from '../adapters/rate-limit/memory.js';
import { consoleLogger } from '../adapters/logger/console.js';
import { consoleMailer } from '../adapters/mail/console.js';
import { unconfiguredMailer } from '../adapters/mail/unconfigured.js';
import { consoleSmsSender } from '../adapters/sms/console.js';
import { unconfiguredSmsSender } from '../adapters/sms/unconfigured.js';
import { changePassword, type ChangePasswordInput } from './accounts/change-password.js';
import { deleteAccount, type DeleteAccountInput, type DeletionJob } from './accounts/delete-account.js';
import { purgeDeletedAccounts, type PurgeResult } from './accounts/purge-deleted-accounts.js';
import { requestPasswordReset, type RequestPasswordResetInput } from './accounts/request-password-reset.js';
import { resetPassword, type ResetPasswordInput } from './accounts/reset-password.js';
import { sendVerificationEmail } from './accounts/send-verification-email.js';
import { updateProfile, type UpdateProfileInput } from './accounts/update-profile.js';
import { verifyEmail, type VerifyEmailInput } from './accounts/verify-email.js';
import { regenerateRecoveryCodes, type RegenerateRecoveryCodesInput } from './recovery-codes/regenerate-recovery-codes.js';
import { confirmTotp, type ConfirmTotpInput } from './totp/confirm-totp.js';
import { disableTotp, type DisableTotpInput } from './totp/disable-totp.js';
import { enrolTotp, type TotpEnrolment } from './totp/enrol-totp.js';
import { listLogins, type LoginResource } from './sessions/list-logins.js';
import type { AccountResource } from './accounts/account-resource.js';
import { getAccount } from './accounts/get-account.js';
import { register, type RegisterInput } from './accounts/register.js';
import { systemClock } from './clock.js';
import type { AuthContext, RequestInfo } from './context.js';
import { EventBus } from './events/event-bus.js';
import { createGroup, type CreateGroupInput } from './groups/create-group.js';
import { ensureGroupExists } from './groups/require-group.js';
import { randomToken } from './lib/random.js';
import { createKeyedHash } from './lib/keyed-hash.js';
import { createSealedBox } from './lib/sealed-box.js';
import { type AuthOptions, type ParsedOptions, parseOptions } from './options.js';
import { addPhone, type AddPhoneInput } from './otp/add-phone.js';
import { disableChannel, type DisableChannelInput } from './otp/disable-channel.js';
import { sendChannelCode, type SendChannelCodeInput } from './otp/send-channel-code.js';
import { verifyChannel, type VerifiedChannel, type VerifyChannelInput } from './otp/verify-channel.js';
import type { GroupRecord, Logger, Page } from './ports.js';
import { listSessions, type SessionResource } from './sessions/list-sessions.js';
import { login, type LoginInput } from './sessions/login.js';
import { completeTwoFactorLogin, type CodeSent, type CompleteTwoFactorLoginInput } from './sessions/complete-two-factor-login.js';
import { panicLock, type PanicLockInput } from './accounts/panic.js';
import { unlockAccount, type UnlockAccountInput } from './accounts/unlock.js';
import { logout } from './sessions/logout.js';
import type { TokenResponse } from './sessions/open-session.js';
import { refresh, type RefreshInput } from './sessions/refresh.js';
import { revokeOtherSessions, revokeSession } from './sessions/revoke-session.js';
import { revokeToken, type RevokeTokenInput } from './sessions/revoke-token.js';
import type { AccessTokenClaims } from './tokens/access-token.js';
import { checkSecret, type CheckSecretInput } from './tokens/check-secret.js';
import { KeyRing } from './tokens/key-ring.js';
import { verifyAccessToken, type VerifyAccessTokenOptions } from './tokens/verify-access-token.js';
import type { JWK } from 'jose';
import { deleteWebauthnCredential, type DeleteWebauthnCredentialInput } from './webauthn/delete-credential.js';
import { listWebauthnCredentials, type ListWebauthnCredentialsInput } from './webauthn/list-credentials.js';
import { webauthnLoginOptions, type WebauthnLoginOptionsInput } from './webauthn/login-options.js';
import { webauthnRegistrationOptions, type WebauthnRegistrationOptionsInput } from './webauthn/registration-options.js';
import { renameWebauthnCredential, type RenameWebauthnCredentialInput } from './webauthn/rename-credential.js';
import type { WebauthnCredentialResource } from './webauthn/credential-resource.js';
import { type RegisteredPasskey, verifyWebauthnRegistration, type VerifyWebauthnRegistrationInput } from './webauthn/verify-registration.js';
import { verifyWebauthnLogin, type VerifyWebauthnLoginInput } from './webauthn/verify-login.js';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';

/** A latchkey instance: every operation of the HTTP API as a typed function. */
export interface Auth {
  readonly options: Readonly<ParsedOptions>;
  readonly events: EventBus;
  readonly logger: Logger;
  register(input: RegisterInput): Promise<AccountResource>;
  login(input: LoginInput): Promise<TokenResponse>;
  /** The second step of a two-factor login (or `{ status: 'code_sent' }` when it only asked for a code). */
  completeTwoFactorLogin(input: CompleteTwoFactorLoginInput): Promise<TokenResponse | CodeSent>;
  /** Locks the account at once, then ends every session. @throws AuthError `not_found` */
  panicLock(input: PanicLockInput): Promise<void>;
  /** Unlocks a panic-locked account with a recovery code and a new password, and signs in. */
  unlockAccount(input: UnlockAccountInput): Promise<TokenResponse>;
  refresh(input: RefreshInput): Promise<TokenResponse>;
  logout(input: RequestInfo & { group?: string; refreshToken: string }): Promise<void>;
  revokeToken(input: RevokeTokenInput): Promise<void>;
  verifyAccessToken(token: string, options?: VerifyAccessTokenOptions): Promise<AccessTokenClaims>;
  getAccount(input: { group: string; accountId: string }): Promise<AccountResource>;
  listSessions(input: { group: string; accountId: string; currentSessionId?: string }): Promise<SessionResource[]>;
  revokeSession(input: { group: string; accountId: string; sessionId: string }): Promise<void>;
  revokeOtherSessions(input: { group: string; accountId: string; currentSessionId: string }): Promise<void>;
  /** The group's published public keys (`GET /.well-known/jwks.json`). */
  jwks(input?: { group?: string }): Promise<{ keys: JWK[] }>;
  /** Makes a new current signing key; old public keys stay published until their tokens expire. */
  rotateSigningKey(input?: { group?: string }): Promise<{ kid: string }>;
  /**
   * Call at start-up: fails when `secret` (and `previousSecrets`) cannot open the signing keys stored in
   * the database, i.e. `secret` changed without the old one in `previousSecrets`. An empty database passes.
   * @throws Error naming the options (never a secret)
   * @example
   * ```ts
   * await auth.checkSecret()
   * ```
   */
  checkSecret(input?: CheckSecretInput): Promise<void>;
  /** Marks the address a verification token was mailed to as verified. @throws AuthError `invalid_token` */
  verifyEmail(input: VerifyEmailInput): Promise<AccountResource>;
  /** Mails a new verification token; earlier ones stop working. @throws AuthError `mail_delivery_failed` */
  sendVerificationEmail(input: { group: string; accountId: string }): Promise<void>;
  /** Mails a reset token when the email has an account; resolves the same way whether or not it does. */
  requestPasswordReset(input: RequestPasswordResetInput): Promise<void>;
  /** Sets a new password with a reset token and ends every session. @throws AuthError `invalid_token` */
  resetPassword(input: ResetPasswordInput): Promise<void>;
  /** Changes the password (the current one is required) and ends the other sessions. */
  changePassword(input: ChangePasswordInput): Promise<AccountResource>;
  /** Updates name and `allowSupportLogin`, from a merge body or an RFC 6902 JSON Patch. */
  updateProfile(input: UpdateProfileInput): Promise<AccountResource>;
  /** Soft-deletes the account (personal data purged after `deletedAccountRetention`). */
  deleteAccount(input: DeleteAccountInput): Promise<DeletionJob>;
  /** Removes deleted accounts whose retention has passed, and expired passkey challenges. Call it from a scheduler. */
  purgeDeletedAccounts(input?: { limit?: number }): Promise<PurgeResult>;
  /** The account's login history, newest first, failures included. */
  listLogins(input: { group: string; accountId: string; limit?: number; cursor?: string | null }): Promise<Page<LoginResource>>;
  /** Sets the phone (E.164, unverified) and texts it a code. @throws AuthError `validation_failed`, `rate_limited`, `sms_delivery_failed` */
  addPhone(input: AddPhoneInput): Promise<void>;
  /** Sends a `verify` code by email or SMS. @throws AuthError `validation_failed`, `rate_limited`, `mail_delivery_failed`, `sms_delivery_failed` */
  sendChannelCode(input: SendChannelCodeInput): Promise<void>;
  /** Proves a channel with its code and enables it as a second factor (needs `password`, or `otp` once a factor is on). @throws AuthError `invalid_two_factor`, `rate_limited` */
  verifyChannel(input: VerifyChannelInput): Promise<VerifiedChannel>;
  /** Turns email or SMS codes off, proven by `otp`. @throws AuthError `validation_failed`, `invalid_two_factor` */
  disableChannel(input: DisableChannelInput): Promise<AccountResource>;
  createGroup(input: CreateGroupInput): Promise<GroupRecord>;
  /** @throws AuthError `not_found` for an unknown group (the default group always exists) */
  assertGroup(group: string): Promise<void>;
  /** Starts (or restarts) authenticator set-up: a pending secret, shown once, with its URI and QR code. */
  enrolTotp(input: { group: string; accountId: string }): Promise<TotpEnrolment>;
  /** Enables TOTP with a code of the pending secret (needs `password`, or `otp` once a factor is on); returns 10 new recovery codes. @throws AuthError `invalid_two_factor` */
  confirmTotp(input: ConfirmTotpInput): Promise<{ recoveryCodes: string[] }>;
  /** Turns TOTP off, proven by a current code or a recovery code (`otp`). @throws AuthError `invalid_two_factor` */
  disableTotp(input: DisableTotpInput): Promise<AccountResource>;
  /** Replaces the recovery codes, proven by `otp` (or by `password` while no second factor is on); old codes die. */
  regenerateRecoveryCodes(input: RegenerateRecoveryCodesInput): Promise<{ recoveryCodes: string[] }>;
  /** Options for `navigator.credentials.create()`: a passkey for the signed-in account. @throws AuthError `not_found` (passkeys off), `account_locked` */
  webauthnRegistrationOptions(input: WebauthnRegistrationOptionsInput): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** Verifies and stores the new passkey, proven by `otp` (or by `password` while no second factor is on). @throws AuthError `not_found`, `validation_failed`, `invalid_credentials`, `invalid_two_factor`, `rate_limited`, `invalid_token`, `conflict` */
  verifyWebauthnRegistration(input: VerifyWebauthnRegistrationInput): Promise<RegisteredPasskey>;
  /** The signed-in account's passkeys. @throws AuthError `not_found` (passkeys off) */
  listWebauthnCredentials(input: ListWebauthnCredentialsInput): Promise<WebauthnCredentialResource[]>;
  /** Renames one of the account's own passkeys. @throws AuthError `not_found`, `validation_failed` */
  renameWebauthnCredential(input: RenameWebauthnCredentialInput): Promise<WebauthnCredentialResource>;
  /** Removes one of the account's own passkeys. @throws AuthError `not_found` */
  deleteWebauthnCredential(input: DeleteWebauthnCredentialInput): Promise<void>;
  /** Options for `navigator.credentials.get()`: discoverable, or for an email. @throws AuthError `not_found` (passkeys off) */
  webauthnLoginOptions(input?: WebauthnLoginOptionsInput): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** Signs in with a passkey. @throws AuthError `invalid_token`, `invalid_credentials`, `account_locked`, `two_factor_required` … */
  verifyWebauthnLogin(input: VerifyWebauthnLoginInput): Promise<TokenResponse>;
}

const DEVELOPMENT_ENVIRONMENTS = new Set(['development', 'test']);

/**
 * Creates a latchkey instance. Options are validated here, so a typo fails at start-up with the name of
 * the option, not at the first login.
 *
 * @throws TypeError naming the first invalid option
 * @example
 * ```ts
 * import { createAuth } from 'latchkey'
 * import { memoryStorage } from 'latchkey/memory'
 *
 * const auth = createAuth({ storage: memoryStorage(), secret: process.env.LATCHKEY_SECRET })
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const parsed = parseOptions(options);
  const logger = parsed.logger ?? consoleLogger();
  const secret = parsed.secret ?? developmentSecret(logger);
  // The current secret seals and hashes; previous ones (newest first) still open and match old data.
  const secrets = [secret, ...parsed.previousSecrets];
  let dummyHash: Promise<string> | undefined;
  const ctx: AuthContext = {
    options: parsed,
    storage: parsed.storage,
    hasher: parsed.passwordHasher ?? scryptHasher(),
    rateLimiter: parsed.rateLimiter ?? memoryRateLimiter({ clock: parsed.clock ?? systemClock }),
    mailer: parsed.mailer ?? defaultMailer(logger),
    sms: parsed.sms ?? defaultSmsSender(logger),
    accountSecrets: createSealedBox(secrets, 'latchkey/account-secrets'),
    hashCode: createKeyedHash(secrets, 'latchkey/codes'),
    clock: parsed.clock ?? systemClock,
    logger,
    events: new EventBus(logger),
    keys: new KeyRing(() => ctx, createSealedBox(secrets, 'latchkey/signing-keys')),
    dummyHash: () => (dummyHash ??= ctx.hasher.hash(randomToken(16))),
    knownGroups: new Set(),
  };

  return {
    options: parsed,
    events: ctx.events,
    logger,
    register: (input) => register(ctx, input),
    login: (input) => login(ctx, input),
    completeTwoFactorLogin: (input) => completeTwoFactorLogin(ctx, input),
    panicLock: (input) => panicLock(ctx, input),
    unlockAccount: (input) => unlockAccount(ctx, input),
    refresh: (input) => refresh(ctx, input),
    logout: (input) => logout(ctx, input),
    revokeToken: (input) => revokeToken(ctx, input),
    verifyAccessToken: (token, opts) => verifyAccessToken(ctx, token, opts),
    getAccount: (input) => getAccount(ctx, input),
    listSessions: (input) => listSessions(ctx, input),
    revokeSession: (input) => revokeSession(ctx, input),
    revokeOtherSessions: (input) => revokeOtherSessions(ctx, input),
    async jwks(input = {}) {
      const group = input.group ?? 'default';
      await ensureGroupExists(ctx, group);
      return { keys: await ctx.keys.published(group) };
    },
    async rotateSigningKey(input = {}) {
      const group = input.group ?? 'default';
      await ensureGroupExists(ctx, group);
      return { kid: (await ctx.keys.rotate(group)).id };
    },
    checkSecret: (input) => checkSecret(ctx, input),
    verifyEmail: (input) => verifyEmail(ctx, input),
    sendVerificationEmail: (input) => sendVerificationEmail(ctx, input),
    requestPasswordReset: (input) => requestPasswordReset(ctx, input),
    resetPassword: (input) => resetPassword(ctx, input),
    changePassword: (input) => changePassword(ctx, input),
    updateProfile: (input) => updateProfile(ctx, input),
    deleteAccount: (input) => deleteAccount(ctx, input),
    purgeDeletedAccounts: (input) => purgeDeletedAccounts(ctx, input),
    listLogins: (input) => listLogins(ctx, input),
    addPhone: (input) => addPhone(ctx, input),
    sendChannelCode: (input) => sendChannelCode(ctx, input),
    verifyChannel: (input) => verifyChannel(ctx, input),
    disableChannel: (input) => disableChannel(ctx, input),
    createGroup: (input) => createGroup(ctx, input),
    assertGroup: (group) => ensureGroupExists(ctx, group),
    enrolTotp: (input) => enrolTotp(ctx, input),
    confirmTotp: (input) => confirmTotp(ctx, input),
    disableTotp: (input) => disableTotp(ctx, input),
    regenerateRecoveryCodes: (input) => regenerateRecoveryCodes(ctx, input),
    webauthnRegistrationOptions: (input) => webauthnRegistrationOptions(ctx, input),
    verifyWebauthnRegistration: (input) => verifyWebauthnRegistration(ctx, input),
    listWebauthnCredentials: (input) => listWebauthnCredentials(ctx, input),
    renameWebauthnCredential: (input) => renameWebauthnCredential(ctx, input),
    deleteWebauthnCredential: (input) => deleteWebauthnCredential(ctx, input),
    webauthnLoginOptions: (input) => webauthnLoginOptions(ctx, input),
    verifyWebauthnLogin: (input) => verifyWebauthnLogin(ctx, input),
  };
}

/** Mails printed to the console in development; elsewhere an app must choose a mailer to send any. */
function defaultMailer(logger: Logger) {
  return globalThis.process?.env?.NODE_ENV === 'development' ? consoleMailer() : unconfiguredMailer(logger);
}

/** Text messages printed to the console in development; elsewhere an app must choose a sender. */
function defaultSmsSender(logger: Logger) {
  return globalThis.process?.env?.NODE_ENV === 'development' ? consoleSmsSender() : unconfiguredSmsSender(logger);
}

function developmentSecret(logger: Logger): string {
  const environment = globalThis.process?.env?.NODE_ENV;
  if (!environment || !DEVELOPMENT_ENVIRONMENTS.has(environment)) {
    throw new TypeError(
      'latchkey: invalid option `secret`: required outside development (set it to 32+ random characters, or NODE_ENV=development)',
    );
  }
  logger.warn('no `secret` option: using a random one, so signing keys stored now cannot be read after a restart');
  return randomToken(32);
}
