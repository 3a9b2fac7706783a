import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AuthContext, RequestInfo } from '../context.js';
import { DEFAULT_GROUP } from '../context.js';
import { AuthError, type AuthErrorCode } from '../errors.js';
import { fromBase64Url } from '../lib/encoding.js';
import type { AccountRecord, WebAuthnCredentialRecord } from '../ports.js';
import { finishLogin, recordRefusedLogin } from '../internal/sessions/finish-login.js';
import { recordAttempt } from '../internal/sessions/login-history.js';
import type { TokenResponse } from '../internal/sessions/open-session.js';
import { challengeOfResponse, consumeWebauthnChallenge } from '../internal/webauthn/challenge.js';
import { requireWebauthn, type WebauthnConfig } from '../internal/webauthn/config.js';
import type { PasskeyAuthenticationJSON } from '../internal/webauthn/credential-json.js';
import { reasonOf, webauthnLibrary } from '../internal/webauthn/library.js';
import { secondFactorOfSignIn, type SecondFactorInput } from '../internal/sessions/login-second-factor.js';
import { PASSKEY_FACTOR, VERIFIED_PASSKEY_AMR } from '../internal/webauthn/passkey-second-factor.js';
import { admitClient } from '../limits/client-limit.js';

/**
 * What `auth.verifyWebauthnLogin` takes: the browser's signed answer to the login options and, for a
 * passkey used without user verification, the second factor when the caller sends it at once.
 */
export interface VerifyWebauthnLoginInput extends SecondFactorInput {
  /** Default `default`; a challenge or passkey of another group is refused. */
  group?: string | undefined;
  /** The browser's answer to the login options. */
  credential: PasskeyAuthenticationJSON;
}

export const PASSKEY_REFUSED = 'The passkey could not be verified.';
export const USER_NOT_VERIFIED = 'The passkey did not verify the user (PIN or biometrics), which is required.';

/** The `verifyWebauthnLogin` operation of `Auth`: the one place its documentation lives. */
export const verifyWebauthnLoginOperation = {
  /**
   * Signs in with a passkey. In order:
   *
   * 1. The challenge the response answers is used up, atomically (`invalid_token` when unknown, expired,
   *    replayed or of another group): of concurrent uses of one assertion exactly one goes on.
   * 2. The passkey must be registered in this group to a live account; a challenge issued for an email
   *    must be answered by that account's passkey, and a `userHandle` must name the passkey's owner.
   * 3. The assertion is verified (`@simplewebauthn/server`): type `webauthn.get`, an allowed origin, the
   *    RP ID hash, user presence and the signature with the stored public key. Then user verification,
   *    when `userVerification` is `required`.
   * 4. The signature counter must increase (unless the authenticator keeps none: both zero). A counter
   *    that does not is refused, logged as a warning (the authenticator may have been cloned) and recorded
   *    as `counter_regression`; the new counter is stored with a compare-and-set, and a lost race is
   *    refused the same way.
   * 5. A locked account answers `account_locked` (only now, after a valid assertion).
   * 6. With user verification the passkey is two factors: amr `['hwk', 'user', 'mfa']`. Without it, the
   *    account's second factor is due as after a password (see `secondFactorOfSignIn`); an account without
   *    one gets `['hwk']`.
   *
   * Every refusal answers `invalid_credentials` with one message (`account_locked` and missing user
   * verification aside), lands in the login history (method `passkey`, with a reason) and, when the
   * account is known, emits `account.login-failed`; a success emits `account.logged-in`.
   *
   * @throws AuthError `not_found` (passkeys not enabled), `validation_failed`, `invalid_token`,
   * `invalid_credentials`, `account_locked`, `two_factor_required` (with `extra: { methods, challenge }`),
   * `invalid_two_factor`, `rate_limited`
   * @example
   * ```ts
   * const tokens = await auth.verifyWebauthnLogin({ credential, ip, userAgent })
   * ```
   */
  verifyWebauthnLogin,
};

/** See {@link verifyWebauthnLoginOperation}. */
export async function verifyWebauthnLogin(ctx: AuthContext, input: VerifyWebauthnLoginInput): Promise<TokenResponse> {
  const config = requireWebauthn(ctx);
  const group = input.group ?? DEFAULT_GROUP;
  await admitClient(ctx, 'request', input.ip);
  const request = { group, ip: input.ip, userAgent: input.userAgent };
  const { credential } = input;
  const challenge = challengeOfResponse(credential?.response?.clientDataJSON);
  const issued = await consumeWebauthnChallenge(ctx, { purpose: 'authentication', group, challenge });

  const passkey =
    typeof credential.id === 'string' ? await ctx.storage.webauthnCredentials.findById(group, credential.id) : null;
  const account = passkey ? await liveAccount(ctx, group, passkey.accountId) : null;
  if (!passkey || !account) {
    // Shown to the account an email-first sign-in named: someone tried it with a passkey it lacks.
    const named = issued.accountId ? await liveAccount(ctx, group, issued.accountId) : null;
    return refuse(ctx, named, request, 'invalid_credentials');
  }
  if (
    (issued.accountId !== null && issued.accountId !== passkey.accountId) ||
    !userHandleNames(credential.response.userHandle, passkey.accountId)
  ) {
    return refuse(ctx, account, request, 'invalid_credentials');
  }

  const verified = await verifyAssertion(ctx, config, credential, passkey, challenge);
  if (!verified) return refuse(ctx, account, request, 'invalid_credentials');
  if (config.userVerification === 'required' && !verified.userVerified) {
    return refuse(ctx, account, request, 'user_verification_required', USER_NOT_VERIFIED);
  }

  const next = verified.newCounter;
  const regressed = (next > 0 || passkey.counter > 0) && next <= passkey.counter;
  // Compare-and-set: of two assertions that read the same stored counter, only one is stored.
  const stored =
    !regressed &&
    (await ctx.storage.webauthnCredentials.recordUse(group, passkey.id, passkey.counter, next, ctx.clock.now()));
  if (!stored) {
    ctx.logger.warn('passkey signature counter did not increase: the authenticator may have been cloned', {
      group,
      accountId: account.id,
      credentialId: passkey.id,
      storedCounter: passkey.counter,
      receivedCounter: next,
    });
    return refuse(ctx, account, request, 'counter_regression');
  }

  // Read again: a panic lock or a deletion while the assertion was checked must win.
  const current = await liveAccount(ctx, group, account.id);
  if (!current) return refuse(ctx, null, request, 'invalid_credentials');
  if (current.status === 'locked') {
    return refuse(ctx, current, request, 'account_locked', 'This account is locked.', 'account_locked');
  }
  const amr = verified.userVerified ? [...VERIFIED_PASSKEY_AMR] : await secondFactorOfSignIn(ctx, current, PASSKEY_FACTOR, input);
  return finishLogin(ctx, current, { amr, method: 'passkey', ip: input.ip, userAgent: input.userAgent });
}

/**
 * The library's checks, with two of them left to the caller: the counter is passed as 0 and user
 * verification as optional, so that both are judged only after the signature proved the assertion
 * genuine (a forged response must not be recorded as a cloned authenticator).
 */
async function verifyAssertion(
  ctx: AuthContext,
  config: WebauthnConfig,
  credential: PasskeyAuthenticationJSON,
  passkey: WebAuthnCredentialRecord,
  challenge: string,
): Promise<{ newCounter: number; userVerified: boolean } | null> {
  const { verifyAuthenticationResponse } = await webauthnLibrary();
  try {
    const result = await verifyAuthenticationResponse({
      // Only the typed fields were read here; the verifier checks the whole shape itself.
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: config.origins,
      expectedRPID: config.rpID,
      credential: { id: passkey.id, publicKey: fromBase64Url(passkey.publicKey), counter: 0, transports: passkey.transports },
      requireUserVerification: false,
    });
    if (!result.verified) throw new Error('the signature does not match the public key');
    return result.authenticationInfo;
  } catch (error) {
    ctx.logger.info('passkey sign-in refused', { group: passkey.group, accountId: passkey.accountId, reason: reasonOf(error) });
    return null;
  }
}

async function liveAccount(ctx: AuthContext, group: string, id: string): Promise<AccountRecord | null> {
  const account = await ctx.storage.accounts.findById(group, id);
  return account && account.status !== 'deleted' ? account : null;
}

/** A discoverable passkey returns the `user.id` it was registered with: latchkey's account id. */
function userHandleNames(userHandle: string | undefined, accountId: string): boolean {
  if (userHandle === undefined || userHandle === '') return true;
  return typeof userHandle === 'string' && Buffer.from(fromBase64Url(userHandle)).toString('utf8') === accountId;
}

/** Records a refused sign-in (for the account when one is known) and throws. */
async function refuse(
  ctx: AuthContext,
  account: AccountRecord | null,
  request: RequestInfo & { group: string },
  reason: string,
  message = PASSKEY_REFUSED,
  code: AuthErrorCode = 'invalid_credentials',
): Promise<never> {
  if (account) {
    await recordRefusedLogin(ctx, account, { ...request, method: 'passkey', reason });
  } else {
    await recordAttempt(ctx, { ...request, accountId: null, email: null, method: 'passkey', failureReason: reason });
  }
  throw new AuthError(code, message);
}
