// latchkey's routes as the demo calls them (docs/http-api.md), through latchkey/client: its sign-in
// flows, and its typed passthrough (`client.GET('/account')` …), whose paths, bodies and answers are
// typed by the schema generated from the server's OpenAPI document. Signed-in calls go through the
// session (`authed`), which unwraps the answer: its data, or a `LatchkeyClientError` with the server's
// stable code and message.

import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { type CompleteTwoFactorInput, type LoginResult, type SignedIn, unwrap } from '../../../src/client/index.js';
import { currentGroup } from './group.js';
import { authed, client, startSession } from './session.js';
import type { Account, Passkey } from './types.js';

export type Channel = 'email' | 'sms';

const id = (value: string) => ({ path: { id: value } });

// --- signed out ---

export const register = (input: { email: string; password: string; name?: { first: string | null; last: string | null } }) =>
  client().register(input);

/** Signed in, or `two_factor_required` with the methods and the challenge for the second step. */
export const login = (input: { email: string; password: string }): Promise<LoginResult> => client().login(input);

/** The second step, with a code or a recovery code. */
export const completeTwoFactor = (input: CompleteTwoFactorInput): Promise<SignedIn> => client().completeTwoFactorLogin(input);

/** The second step with `method` alone: a code is sent by email or text message. */
export const sendLoginCode = (challenge: string, method: Channel) => client().sendTwoFactorCode({ challenge, method });

export const verifyEmail = async (token: string) => unwrap(await client().POST('/email/verify', { body: { token } }));

export const forgotPassword = async (email: string) => unwrap(await client().POST('/password/forgot', { body: { email } }));

export const resetPassword = async (body: { token: string; password: string; twoFactorCode?: string }) =>
  unwrap(await client().POST('/password/reset', { body }));

/** Unlocks a panic-locked account with a recovery code and a new password, which signs in. */
export const unlock = async (body: { email: string; recoveryCode: string; newPassword: string }) =>
  startSession(unwrap(await client().POST('/account/unlock', { body })));

/**
 * What `startAuthentication` of @simplewebauthn/browser takes. The server makes these options with
 * @simplewebauthn/server; the schema types a few of their fields more loosely (`prf` as unknown).
 */
export const passkeyLoginOptions = async (email?: string) =>
  unwrap(await client().POST('/webauthn/login/options', { body: email ? { email } : {} })) as PublicKeyCredentialRequestOptionsJSON;

/** Signs in with a passkey; `two_factor_required` (thrown) when the passkey was one factor of two. */
export const passkeyLogin = async (credential: AuthenticationResponseJSON) => {
  // Its fields copied out of @simplewebauthn's interfaces into plain objects, which TypeScript lets
  // stand for the schema's open (`[key: string]: unknown`) ones.
  const { response, clientExtensionResults } = credential;
  const body = { credential: { ...credential, response: { ...response }, clientExtensionResults: { ...clientExtensionResults } } };
  return startSession(unwrap(await client().POST('/webauthn/login/verify', { body })));
};

// --- signed in ---

export const getAccount = (): Promise<Account> => authed((api) => api.GET('/account'));

/** The demo app's own protected route, called with the session's access token like latchkey's. */
export const getMe = () =>
  authed((api) => {
    const group = currentGroup();
    const own = { baseUrl: window.location.origin };
    return group === null ? api.GET('/api/me', own) : api.GET('/api/{group}/me', { ...own, params: { path: { group } } });
  });

export const updateProfile = (body: { name: { first: string | null; last: string | null }; allowSupportLogin: boolean }) =>
  authed((api) => api.PATCH('/account', { body }));

export const resendVerification = () => authed((api) => api.POST('/account/email/verification'));

export const changePassword = (current: string, next: string) =>
  authed((api) => api.POST('/account/password', { body: { current, new: next } }));

export const listSessions = () => authed((api) => api.GET('/account/sessions'));

export const revokeSession = (session: string) => authed((api) => api.DELETE('/account/sessions/{id}', { params: id(session) }));

export const revokeOtherSessions = () => authed((api) => api.DELETE('/account/sessions'));

export const listLogins = (cursor: string | null, limit = 10) =>
  authed((api) => api.GET('/account/logins', { params: { query: { limit, ...(cursor ? { cursor } : {}) } } }));

export const startTotp = () => authed((api) => api.POST('/account/two-factor/totp'));

/**
 * The fresh proof that every change to the ways of signing in needs (adding, replacing or removing a
 * second factor or a passkey, new recovery codes), even right after signing in: the password (JSON
 * `password`) while the account has no second factor, a current one (the `x-otp` header) once it has.
 */
export interface FactorChangeProof {
  password?: string;
  otp?: string;
}

/** The proof's `password` for the body, and its `x-otp` header (typed by each route's parameters). */
const password = (proof: FactorChangeProof) => (proof.password ? { password: proof.password } : {});
const otpHeader = (otp: string | undefined) => ({ header: otp ? { 'x-otp': otp } : {} });

export const confirmTotp = (code: string, proof: FactorChangeProof) =>
  authed((api) => api.POST('/account/two-factor/totp/verify', { body: { code, ...password(proof) }, params: otpHeader(proof.otp) }));

export const disableTotp = (otp: string) => authed((api) => api.DELETE('/account/two-factor/totp', { params: otpHeader(otp) }));

export const regenerateRecoveryCodes = (proof: FactorChangeProof) =>
  authed((api) => api.PUT('/account/recovery-codes', { body: password(proof), params: otpHeader(proof.otp) }));

export const addPhone = (phone: string, country: string, otp: string) =>
  authed((api) => api.POST('/account/phone', { body: country ? { phone, country } : { phone }, params: otpHeader(otp) }));

export const sendCode = (channel: Channel) => authed((api) => api.POST('/account/otp/send', { body: { channel } }));

/** Verifies the channel with the code it received; enabling it as a second factor needs the proof. */
export const verifyChannel = (channel: Channel, code: string, proof: FactorChangeProof) =>
  authed((api) => api.POST('/account/otp/verify', { body: { channel, code, ...password(proof) }, params: otpHeader(proof.otp) }));

export const disableChannel = (channel: Channel, otp: string) =>
  authed((api) => api.DELETE('/account/otp/{channel}', { params: { path: { channel }, ...otpHeader(otp) } }));

export const panic = () => authed((api) => api.PUT('/account/panic'));

/** Deleting the account needs the same proof as changing how it signs in. */
export const deleteAccount = (proof: FactorChangeProof) =>
  authed((api) => api.DELETE('/account', { body: password(proof), params: otpHeader(proof.otp) }));

/** What `startRegistration` of @simplewebauthn/browser takes (see `passkeyLoginOptions`). */
export const passkeyRegistrationOptions = async () =>
  (await authed((api) => api.POST('/account/webauthn/register/options'))) as PublicKeyCredentialCreationOptionsJSON;

/** Adding a passkey is adding a way to sign in: it needs the same proof as an authenticator. */
export const registerPasskey = (credential: RegistrationResponseJSON, name: string, proof: FactorChangeProof) => {
  const { response, clientExtensionResults } = credential; // copied into plain objects, as in passkeyLogin
  const plain = { ...credential, response: { ...response }, clientExtensionResults: { ...clientExtensionResults } };
  return authed((api) =>
    api.POST('/account/webauthn/register/verify', {
      body: { credential: plain, ...(name ? { name } : {}), ...password(proof) },
      params: otpHeader(proof.otp),
    }),
  );
};

/** The account's passkeys: one page holds them all. */
export const listPasskeys = async (): Promise<Passkey[]> => (await authed((api) => api.GET('/account/webauthn/credentials'))).data;

export const renamePasskey = (passkey: string, name: string) =>
  authed((api) => api.PATCH('/account/webauthn/credentials/{id}', { params: id(passkey), body: { name } }));

/** Removing a way to sign in needs the same proof as adding one. */
export const deletePasskey = (passkey: string, proof: FactorChangeProof) =>
  authed((api) =>
    api.DELETE('/account/webauthn/credentials/{id}', { params: { ...id(passkey), ...otpHeader(proof.otp) }, body: password(proof) }),
  );
