/**
 * `latchkey/testing`: the conformance suites that every Storage implementation and every HTTP adapter
 * runs under vitest, the clients they talk through, and a WebAuthn authenticator in software.
 *
 * @module latchkey/testing
 */
export { runStorageConformance, type StorageConformanceOptions } from './storage-conformance.js';
export { runHttpConformance, type HttpConformanceOptions } from './http-conformance.js';
export type { HttpExchange } from './http/observe.js';
export {
  fetchClient,
  serverClient,
  encodeRequest,
  type CreateClient,
  type TestClient,
  type TestRequestInit,
  type TestResponse,
} from './http-client.js';
export {
  softwareAuthenticator,
  type SoftwareAuthenticator,
  type SoftwareAuthenticatorOptions,
  type SoftwareCredential,
  type CeremonyOverrides,
  type AssertionOverrides,
} from './webauthn/software-authenticator.js';
