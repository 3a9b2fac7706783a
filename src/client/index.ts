/**
 * `latchkey/client`: a typed fetch client of latchkey's HTTP API for browsers and Node. It signs in
 * (with a second factor when the account has one), keeps the tokens in a pluggable {@link TokenStore},
 * refreshes them ahead of expiry and on a 401, once for all concurrent calls, and types every route
 * through openapi-fetch. It imports nothing from Node.
 *
 * @example
 * ```ts
 * import { createLatchkeyClient, localStorageTokenStore } from 'latchkey/client'
 *
 * const client = createLatchkeyClient({ baseUrl: '/auth', tokenStore: localStorageTokenStore() })
 * const result = await client.login({ email, password })
 * if (result.status === 'two_factor_required') await client.completeTwoFactorLogin({ challenge: result.challenge, code })
 * const account = await client.account()
 * ```
 *
 * @module latchkey/client
 */
export { createLatchkeyClient, type LatchkeyClient, type LatchkeyClientOptions } from './create-client.js';
export {
  errorFromAnswer,
  isLatchkeyClientError,
  LatchkeyClientError,
  type LatchkeyClientErrorCode,
  type LatchkeyClientErrorOptions,
  type LatchkeyErrorDetail,
} from './errors.js';
export { localStorageTokenStore, type LocalStorageTokenStoreOptions, type WebStorageLike } from './local-storage-token-store.js';
export { memoryTokenStore } from './memory-token-store.js';
export type { RequestSender } from './send.js';
export type { CompleteTwoFactorInput, LoginInput, RegisterInput, SendTwoFactorCodeInput } from './sign-in.js';
export type { StoredTokens, TokenStore } from './token-store.js';
export type { Account, LoginResult, SessionChange, SignedIn, TokenResponse, TwoFactorMethod, TwoFactorRequired } from './types.js';
export { unwrap } from './unwrap.js';
