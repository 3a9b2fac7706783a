// latchkey's routes under /auth, as the demo calls them (docs/http-api.md). Signed-in calls go through
// the session (`authed`), which adds the access token and renews it when needed.

import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { request } from './http.js';
import { authed } from './session.js';
import type { Account, LoginInfo, Me, Page, Passkey, RecoveryCodes, SessionInfo, TokenResponse, TotpEnrolment } from './types.js';

const AUTH = '/auth';

export type Channel = 'email' | 'sms';

// --- signed out ---

export const register = (body: { email: string; password: string; name?: { first: string | null; last: string | null } }) =>
  request<Account>('POST', `${AUTH}/accounts`, { body });

export const login = (body: { email: string; password: string }) => request<TokenResponse>('POST', `${AUTH}/login`, { body });

/** The second step: with a code or recovery code, tokens; with `method` alone, a code is sent (undefined). */
export const loginSecondStep = (body: { challenge: string; code?: string; recoveryCode?: string; method?: 'totp' | Channel }) =>
  request<TokenResponse | undefined>('POST', `${AUTH}/login/two-factor`, { body });

export const verifyEmail = (token: string) => request<Account>('POST', `${AUTH}/email/verify`, { body: { token } });

export const forgotPassword = (email: string) => request<void>('POST', `${AUTH}/password/forgot`, { body: { email } });

export const resetPassword = (body: { token: string; password: string; twoFactorCode?: string }) =>
  request<{ success: true }>('POST', `${AUTH}/password/reset`, { body });

export const unlock = (body: { email: string; recoveryCode: string; newPassword: string }) =>
  request<TokenResponse>('POST', `${AUTH}/account/unlock`, { body });

export const passkeyLoginOptions = (email?: string) =>
  request<PublicKeyCredentialRequestOptionsJSON>('POST', `${AUTH}/webauthn/login/options`, { body: email ? { email } : {} });

export const passkeyLogin = (credential: unknown) =>
  request<TokenResponse>('POST', `${AUTH}/webauthn/login/verify`, { body: { credential } });

// --- signed in ---

export const getAccount = () => authed<Account>('GET', `${AUTH}/account`);

/** The demo app's own protected route. */
export const getMe = () => authed<Me>('GET', '/api/me');

export const updateProfile = (body: { name: { first: string | null; last: string | null }; allowSupportLogin: boolean }) =>
  authed<Account>('PATCH', `${AUTH}/account`, { body });

export const resendVerification = () => authed<void>('POST', `${AUTH}/account/email/verification`);

export const changePassword = (current: string, next: string) =>
  authed<Account>('POST', `${AUTH}/account/password`, { body: { current, new: next } });

export const listSessions = () => authed<Page<SessionInfo>>('GET', `${AUTH}/account/sessions`);

export const revokeSession = (id: string) => authed<void>('DELETE', `${AUTH}/account/sessions/${encodeURIComponent(id)}`);

export const revokeOtherSessions = () => authed<void>('DELETE', `${AUTH}/account/sessions`);

export const listLogins = (cursor: string | null, limit = 10) =>
  authed<Page<LoginInfo>>('GET', `${AUTH}/account/logins`, { query: { limit, cursor } });

export const startTotp = () => authed<TotpEnrolment>('POST', `${AUTH}/account/two-factor/totp`);

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
  authed<RecoveryCodes>('POST', `${AUTH}/account/two-factor/totp/verify`, withProof({ code }, proof));

export const disableTotp = (otp: string) => authed<Account>('DELETE', `${AUTH}/account/two-factor/totp`, { otp });

export const regenerateRecoveryCodes = (proof: FactorChangeProof) =>
  authed<RecoveryCodes>('PUT', `${AUTH}/account/recovery-codes`, withProof({}, proof));

export const addPhone = (phone: string, country: string, otp: string) =>
  authed<void>('POST', `${AUTH}/account/phone`, { body: country ? { phone, country } : { phone }, ...(otp ? { otp } : {}) });

export const sendCode = (channel: Channel) => authed<void>('POST', `${AUTH}/account/otp/send`, { body: { channel } });

/** Verifies the channel with the code it received; enabling it as a second factor needs the proof. */
export const verifyChannel = (channel: Channel, code: string, proof: FactorChangeProof) =>
  authed<Account>('POST', `${AUTH}/account/otp/verify`, withProof({ channel, code }, proof));

export const disableChannel = (channel: Channel, otp: string) => authed<Account>('DELETE', `${AUTH}/account/otp/${channel}`, { otp });

export const panic = () => authed<void>('PUT', `${AUTH}/account/panic`);

export const deleteAccount = (password: string) => authed<unknown>('DELETE', `${AUTH}/account`, { body: { password } });

export const passkeyRegistrationOptions = () =>
  authed<PublicKeyCredentialCreationOptionsJSON>('POST', `${AUTH}/account/webauthn/register/options`);

/** Adding a passkey is adding a way to sign in: it needs the same proof as an authenticator. */
export const registerPasskey = (credential: unknown, name: string, proof: FactorChangeProof) =>
  authed<Passkey>('POST', `${AUTH}/account/webauthn/register/verify`, withProof(name ? { credential, name } : { credential }, proof));

/** The list route answers `{ data, nextCursor }` like every list; a bare array is read too. */
export const listPasskeys = async (): Promise<Passkey[]> => {
  const answer = await authed<Page<Passkey> | Passkey[]>('GET', `${AUTH}/account/webauthn/credentials`);
  return Array.isArray(answer) ? answer : answer.data;
};

/** Not in the v1 contract yet: servers without it answer 404 or 405, and the page says so. */
export const renamePasskey = (id: string, name: string) =>
  authed<Passkey>('PATCH', `${AUTH}/account/webauthn/credentials/${encodeURIComponent(id)}`, { body: { name } });

/** Removing a way to sign in needs the same proof as adding one. */
export const deletePasskey = (id: string, proof: FactorChangeProof) =>
  authed<void>('DELETE', `${AUTH}/account/webauthn/credentials/${encodeURIComponent(id)}`, withProof({}, proof));
