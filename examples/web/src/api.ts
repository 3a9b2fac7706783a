// latchkey's routes under /auth (under /auth/{group} in multi-group mode, see group.ts), as the demo
// calls them (docs/http-api.md). Signed-in calls go through the session (`authed`), which adds the
// access token and renews it when needed.

import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { authBase, mePath } from './group.js';
import { request } from './http.js';
import { authed } from './session.js';
import type { Account, LoginInfo, Me, Page, Passkey, RecoveryCodes, SessionInfo, TokenResponse, TotpEnrolment } from './types.js';

export type Channel = 'email' | 'sms';

// --- signed out ---

export const register = (body: { email: string; password: string; name?: { first: string | null; last: string | null } }) =>
  request<Account>('POST', `${authBase()}/accounts`, { body });

export const login = (body: { email: string; password: string }) => request<TokenResponse>('POST', `${authBase()}/login`, { body });

/** The second step: with a code or recovery code, tokens; with `method` alone, a code is sent (undefined). */
export const loginSecondStep = (body: { challenge: string; code?: string; recoveryCode?: string; method?: 'totp' | Channel }) =>
  request<TokenResponse | undefined>('POST', `${authBase()}/login/two-factor`, { body });

export const verifyEmail = (token: string) => request<Account>('POST', `${authBase()}/email/verify`, { body: { token } });

export const forgotPassword = (email: string) => request<void>('POST', `${authBase()}/password/forgot`, { body: { email } });

export const resetPassword = (body: { token: string; password: string; twoFactorCode?: string }) =>
  request<{ success: true }>('POST', `${authBase()}/password/reset`, { body });

export const unlock = (body: { email: string; recoveryCode: string; newPassword: string }) =>
  request<TokenResponse>('POST', `${authBase()}/account/unlock`, { body });

export const passkeyLoginOptions = (email?: string) =>
  request<PublicKeyCredentialRequestOptionsJSON>('POST', `${authBase()}/webauthn/login/options`, { body: email ? { email } : {} });

export const passkeyLogin = (credential: unknown) =>
  request<TokenResponse>('POST', `${authBase()}/webauthn/login/verify`, { body: { credential } });

// --- signed in ---

export const getAccount = () => authed<Account>('GET', `${authBase()}/account`);

/** The demo app's own protected route. */
export const getMe = () => authed<Me>('GET', mePath());

export const updateProfile = (body: { name: { first: string | null; last: string | null }; allowSupportLogin: boolean }) =>
  authed<Account>('PATCH', `${authBase()}/account`, { body });

export const resendVerification = () => authed<void>('POST', `${authBase()}/account/email/verification`);

export const changePassword = (current: string, next: string) =>
  authed<Account>('POST', `${authBase()}/account/password`, { body: { current, new: next } });

export const listSessions = () => authed<Page<SessionInfo>>('GET', `${authBase()}/account/sessions`);

export const revokeSession = (id: string) => authed<void>('DELETE', `${authBase()}/account/sessions/${encodeURIComponent(id)}`);

export const revokeOtherSessions = () => authed<void>('DELETE', `${authBase()}/account/sessions`);

export const listLogins = (cursor: string | null, limit = 10) =>
  authed<Page<LoginInfo>>('GET', `${authBase()}/account/logins`, { query: { limit, cursor } });

export const startTotp = () => authed<TotpEnrolment>('POST', `${authBase()}/account/two-factor/totp`);

/**
 * The fresh proof that every change to the ways of signing in needs (adding, replacing or removing a
 * second factor or a passkey, new recovery codes), even right after signing in: the password (JSON
 * `password`) while the account has no second factor, a current one (the `x-otp` header) once it has.
 */
export interface FactorChangeProof {
  password?: string;
  otp?: string;
}

const withProof = (body: Record<string, unknown>, proof: FactorChangeProof) => ({
  body: proof.password ? { ...body, password: proof.password } : body,
  ...(proof.otp ? { otp: proof.otp } : {}),
});

export const confirmTotp = (code: string, proof: FactorChangeProof) =>
  authed<RecoveryCodes>('POST', `${authBase()}/account/two-factor/totp/verify`, withProof({ code }, proof));

export const disableTotp = (otp: string) => authed<Account>('DELETE', `${authBase()}/account/two-factor/totp`, { otp });

export const regenerateRecoveryCodes = (proof: FactorChangeProof) =>
  authed<RecoveryCodes>('PUT', `${authBase()}/account/recovery-codes`, withProof({}, proof));

export const addPhone = (phone: string, country: string, otp: string) =>
  authed<void>('POST', `${authBase()}/account/phone`, { body: country ? { phone, country } : { phone }, ...(otp ? { otp } : {}) });

export const sendCode = (channel: Channel) => authed<void>('POST', `${authBase()}/account/otp/send`, { body: { channel } });

/** Verifies the channel with the code it received; enabling it as a second factor needs the proof. */
export const verifyChannel = (channel: Channel, code: string, proof: FactorChangeProof) =>
  authed<Account>('POST', `${authBase()}/account/otp/verify`, withProof({ channel, code }, proof));

export const disableChannel = (channel: Channel, otp: string) => authed<Account>('DELETE', `${authBase()}/account/otp/${channel}`, { otp });

export const panic = () => authed<void>('PUT', `${authBase()}/account/panic`);

export const deleteAccount = (password: string) => authed<unknown>('DELETE', `${authBase()}/account`, { body: { password } });

export const passkeyRegistrationOptions = () =>
  authed<PublicKeyCredentialCreationOptionsJSON>('POST', `${authBase()}/account/webauthn/register/options`);

/** Adding a passkey is adding a way to sign in: it needs the same proof as an authenticator. */
export const registerPasskey = (credential: unknown, name: string, proof: FactorChangeProof) =>
  authed<Passkey>('POST', `${authBase()}/account/webauthn/register/verify`, withProof(name ? { credential, name } : { credential }, proof));

/** The list route answers `{ data, nextCursor }` like every list; a bare array is read too. */
export const listPasskeys = async (): Promise<Passkey[]> => {
  const answer = await authed<Page<Passkey> | Passkey[]>('GET', `${authBase()}/account/webauthn/credentials`);
  return Array.isArray(answer) ? answer : answer.data;
};

/** Not in the v1 contract yet: servers without it answer 404 or 405, and the page says so. */
export const renamePasskey = (id: string, name: string) =>
  authed<Passkey>('PATCH', `${authBase()}/account/webauthn/credentials/${encodeURIComponent(id)}`, { body: { name } });

/** Removing a way to sign in needs the same proof as adding one. */
export const deletePasskey = (id: string, proof: FactorChangeProof) =>
  authed<void>('DELETE', `${authBase()}/account/webauthn/credentials/${encodeURIComponent(id)}`, withProof({}, proof));
