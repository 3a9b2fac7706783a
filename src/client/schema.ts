/**
 * HAND-WRITTEN STAND-IN, TO BE REPLACED BY GENERATION.
 *
 * This file will be overwritten by `openapi-typescript` output generated from the server's
 * `GET /openapi.json` (`npx openapi-typescript <url>/auth/openapi.json -o src/client/schema.ts`).
 * Until then it describes, in the same shape (`paths` → method → `{ parameters, requestBody, responses }`),
 * the routes of docs/http-api.md that `latchkey/client` calls itself and those a web app calls through
 * its typed passthrough: sign-in and tokens, the signed-in account, second factors, passkeys, and the
 * administration of accounts. Paths are relative to the mount (`/auth`, or `/auth/{group}`).
 *
 * The client reads only `paths` (its own types come from the token routes' 200 answers), so the
 * generated file drops in as long as those routes keep their contract. It is a `.ts` file (types only,
 * nothing at run time), not a `.d.ts`, so that the import graph of src/ (test/package/cycles.test.ts)
 * sees the imports of it.
 */

type Methods = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
/** `x-otp`: a current second factor, the proof that factor changes need once one is on. */
type OtpHeader = { query?: never; header?: { 'x-otp'?: string }; path?: never; cookie?: never };
type IdPath = { query?: never; header?: never; path: { id: string }; cookie?: never };
type PageQuery = { query?: { limit?: number; cursor?: string }; header?: never; path?: never; cookie?: never };

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NoContent = { headers: { [name: string]: unknown }; content?: never };
type Errors = { default: Json<components['schemas']['Error']> };
type Body<T> = { content: { 'application/json': T } };

/** One operation as openapi-typescript writes it; `B` never means "takes no body". */
type Op<B, R, P = NoParams, Optional extends boolean = false> = {
  parameters: P;
  responses: R & Errors;
} & ([B] extends [never] ? { requestBody?: never } : Optional extends true ? { requestBody?: Body<B> } : { requestBody: Body<B> });

/** A path item: the listed methods, every other method `?: never`. */
type Item<M extends Partial<Record<Methods, unknown>>, P = NoParams> = { parameters: P } & {
  [K in Exclude<Methods, keyof M>]?: never;
} & M;

type S = components['schemas'];
type Ok<T> = { 200: Json<T> };
type Proof = { password?: string };

export interface paths {
  '/accounts': Item<{
    get: Op<never, Ok<S['AccountPage']>, { query?: S['AccountSearch']; header?: never; path?: never; cookie?: never }>;
    post: Op<{ email: string; password: string; name?: S['Name'] }, { 201: Json<S['Account']> }>;
  }>;
  '/login': Item<{
    post: Op<{ email: string; password: string; twoFactorCode?: string; twoFactorRecoveryCode?: string }, Ok<S['TokenResponse']> & { 401: Json<S['TwoFactorRequired']> }>;
  }>;
  '/login/two-factor': Item<{
    post: Op<{ challenge: string; code?: string; recoveryCode?: string; method?: 'totp' | 'email' | 'sms' }, Ok<S['TokenResponse']> & { 202: NoContent }>;
  }>;
  '/token/refresh': Item<{ post: Op<{ refreshToken: string }, Ok<S['TokenResponse']>> }>;
  '/logout': Item<{ post: Op<{ refreshToken: string }, { 204: NoContent }> }>;
  '/email/verify': Item<{ post: Op<{ token: string }, Ok<S['Account']>> }>;
  '/password/forgot': Item<{ post: Op<{ email: string }, { 202: NoContent }> }>;
  '/password/reset': Item<{ post: Op<{ token: string; password: string; twoFactorCode?: string }, Ok<{ success: true }>> }>;
  '/account': Item<{
    get: Op<never, Ok<S['Account']>>;
    patch: Op<{ name?: S['Name']; allowSupportLogin?: boolean }, Ok<S['Account']>>;
    delete: Op<Proof, { 202: Json<S['DeletionJob']> }, OtpHeader, true>;
  }>;
  '/account/email/verification': Item<{ post: Op<never, { 202: NoContent }> }>;
  '/account/password': Item<{ post: Op<{ current: string; new: string }, Ok<S['Account']>> }>;
  '/account/logins': Item<{ get: Op<never, Ok<S['LoginPage']>, PageQuery> }>;
  '/account/sessions': Item<{ get: Op<never, Ok<S['SessionPage']>>; delete: Op<never, { 204: NoContent }> }>;
  '/account/sessions/{id}': Item<{ delete: Op<never, { 204: NoContent }, IdPath> }, IdPath>;
  '/account/panic': Item<{ put: Op<never, { 204: NoContent }> }>;
  '/account/unlock': Item<{ post: Op<{ email: string; recoveryCode: string; newPassword: string }, Ok<S['TokenResponse']>> }>;
  '/account/two-factor/totp': Item<{
    post: Op<never, Ok<S['TotpEnrolment']>>;
    delete: Op<Proof, Ok<S['Account']>, OtpHeader, true>;
  }>;
  '/account/two-factor/totp/verify': Item<{ post: Op<{ code: string; password?: string }, Ok<S['RecoveryCodes']>, OtpHeader> }>;
  '/account/recovery-codes': Item<{ put: Op<Proof, Ok<S['RecoveryCodes']>, OtpHeader, true> }>;
  '/account/phone': Item<{ post: Op<{ phone: string; country?: string }, { 202: NoContent }, OtpHeader> }>;
  '/account/otp/send': Item<{ post: Op<{ channel: 'email' | 'sms' }, { 202: NoContent }> }>;
  '/account/otp/verify': Item<{ post: Op<{ channel: 'email' | 'sms'; code: string; password?: string }, Ok<S['Account']>, OtpHeader> }>;
  '/account/otp/{channel}': Item<{
    delete: Op<Proof, Ok<S['Account']>, { query?: never; header?: { 'x-otp'?: string }; path: { channel: 'email' | 'sms' }; cookie?: never }, true>;
  }>;
  '/account/webauthn/register/options': Item<{ post: Op<never, Ok<{ [key: string]: unknown }>> }>;
  '/account/webauthn/register/verify': Item<{ post: Op<{ credential: unknown; name?: string; password?: string }, Ok<S['Passkey']>, OtpHeader> }>;
  '/account/webauthn/credentials': Item<{ get: Op<never, Ok<S['PasskeyPage']>> }>;
  '/account/webauthn/credentials/{id}': Item<
    {
      patch: Op<{ name: string }, Ok<S['Passkey']>, IdPath>;
      delete: Op<Proof, { 204: NoContent }, { query?: never; header?: { 'x-otp'?: string }; path: { id: string }; cookie?: never }, true>;
    },
    IdPath
  >;
  '/webauthn/login/options': Item<{ post: Op<{ email?: string }, Ok<{ [key: string]: unknown }>> }>;
  '/webauthn/login/verify': Item<{
    post: Op<{ credential: unknown; twoFactorCode?: string; twoFactorRecoveryCode?: string }, Ok<S['TokenResponse']>>;
  }>;
  '/accounts/import': Item<{ post: Op<Array<{ email: string; name?: S['Name']; roles?: string[] }>, Ok<S['ImportResult']>> }>;
  '/accounts/{id}': Item<
    {
      get: Op<never, Ok<S['Account']>, IdPath>;
      patch: Op<{ name?: S['Name']; roles?: string[]; email?: string }, Ok<S['Account']>, IdPath>;
      delete: Op<never, Ok<S['Account']>, IdPath>;
    },
    IdPath
  >;
  '/accounts/{id}/lock': Item<{ post: Op<never, Ok<S['Account']>, IdPath> }, IdPath>;
  '/accounts/{id}/unlock': Item<{ post: Op<never, Ok<S['Account']>, IdPath> }, IdPath>;
  '/accounts/{id}/support-session': Item<{ post: Op<never, Ok<S['SupportSession']>, IdPath> }, IdPath>;
  '/audit': Item<{ get: Op<never, Ok<S['AuditPage']>, PageQuery> }>;
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    /** The body of every error answer; beside `error`, the fields of its code (`methods`, `challenge`). */
    Error: {
      error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
      [extra: string]: unknown;
    };
    /** `POST /login` when a second factor is on and none was given (401). */
    TwoFactorRequired: {
      error: { code: 'two_factor_required'; message: string };
      methods: Array<'totp' | 'email' | 'sms' | 'webauthn'>;
      challenge: string;
    };
    Name: { first?: string | null; last?: string | null };
    Account: {
      id: string;
      group: string;
      name: { first: string | null; last: string | null };
      email: { address: string; verified: boolean; verifiedAt: string | null; addedAt: string };
      phone: { number: string | null; verified: boolean; verifiedAt: string | null };
      twoFactor: { enabled: boolean; methods: string[]; recoveryCodesRemaining: number };
      roles: string[];
      allowSupportLogin: boolean;
      state: { status: 'active' | 'locked' | 'deleted'; changedAt: string; reason: string | null };
      events: {
        createdAt: string;
        updatedAt: string;
        deletedAt: string | null;
        lastLoginAt: string | null;
        lastPasswordChangeAt: string | null;
      };
      lastLoginDevice: string | null;
    };
    TokenResponse: {
      accessToken: string;
      refreshToken: string;
      tokenType: 'Bearer';
      /** Seconds the access token lives. */
      expiresIn: number;
      account: components['schemas']['Account'];
      twoFactorSetupRequired?: true;
    };
    SupportSession: {
      accessToken: string;
      refreshToken: null;
      tokenType: 'Bearer';
      expiresIn: number;
      account: components['schemas']['Account'];
      act?: { sub: string };
    };
    Session: { id: string; createdAt: string; lastUsedAt: string | null; ip: string | null; userAgent: string | null; current: boolean };
    SessionPage: { data: Array<components['schemas']['Session']>; nextCursor: string | null };
    Login: {
      id: string;
      time: string;
      ip: string | null;
      userAgent: string | null;
      success: boolean;
      method: string;
      failureReason: string | null;
    };
    LoginPage: { data: Array<components['schemas']['Login']>; nextCursor: string | null };
    Passkey: { id: string; name: string | null; createdAt: string; lastUsedAt: string | null };
    PasskeyPage: { data: Array<components['schemas']['Passkey']>; nextCursor: string | null };
    TotpEnrolment: { secret: string; uri: string; qrCodeSvg: string };
    RecoveryCodes: { recoveryCodes: string[] };
    DeletionJob: { action: 'delete'; job: { [key: string]: unknown } };
    AccountSearch: {
      q?: string;
      restrictEmail?: string;
      status?: 'active' | 'locked' | 'deleted';
      role?: string;
      verified?: 'true' | 'false';
      createdAfter?: string;
      createdBefore?: string;
      limit?: number;
      cursor?: string;
      orderBy?: 'createdAt' | 'email';
    };
    AccountPage: { data: Array<components['schemas']['Account']>; nextCursor: string | null };
    ImportResult: {
      attempted: number;
      ok: number;
      failed: Array<{ index: number; email: string; error: unknown }>;
      success: Array<components['schemas']['Account']>;
    };
    AuditEntry: {
      id: string;
      time: string;
      actor: { id: string | null; ip: string | null };
      action: string;
      target: { type: string; id: string } | null;
      details: { [key: string]: unknown } | null;
    };
    AuditPage: { data: Array<components['schemas']['AuditEntry']>; nextCursor: string | null };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type operations = Record<string, never>;
