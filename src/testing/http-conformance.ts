import { afterEach, describe } from 'vitest';
import { memoryStorage } from '../adapters/storage/memory/index.js';
import type { Storage } from '../core/ports.js';
import type { CreateClient } from './http-client.js';
import { describeAccountImport } from './http/account-import.js';
import { describeAccountSelfService } from './http/account-self-service.js';
import { describeAdmin } from './http/admin.js';
import { describeAdminChanges } from './http/admin-changes.js';
import { describeAccountSearch } from './http/account-search.js';
import { describeAudit } from './http/audit.js';
import { describeAccountTakeover } from './http/account-takeover.js';
import { describeConcurrency } from './http/concurrency.js';
import { describeEmailVerification } from './http/email-verification.js';
import { describePasswords } from './http/passwords.js';
import { describeGroups } from './http/groups.js';
import { describeGroupAdmin } from './http/group-admin.js';
import { describeGroupSettings } from './http/group-settings.js';
import { describeHygiene } from './http/hygiene.js';
import { describeLogin } from './http/login.js';
import { describeLogout } from './http/logout.js';
import { describeOtp } from './http/otp.js';
import { describeRefresh } from './http/refresh.js';
import { describeRegistration } from './http/registration.js';
import { describeSessions } from './http/sessions.js';
import { type HttpExchange, observeExchanges } from './http/observe.js';
import { createSuiteContext } from './http/setup.js';
import { describeTotp } from './http/totp.js';
import { describeTwoFactorLogin } from './http/two-factor-login.js';
import { describeValidation } from './http/validation.js';
import { describeTokenEndpoints } from './http/token-endpoints.js';
import { describeWebauthn } from './http/webauthn.js';
import { describeWebhooks } from './http/webhooks.js';

/** What {@link runHttpConformance} needs to know about the adapter under test. */
export interface HttpConformanceOptions {
  /** Names the suite in the test report (`fetch`, `express`, `fastify` …). */
  name: string;
  /** Mounts an auth instance at `/auth` in the framework under test and returns a client for it. */
  createClient: CreateClient;
  /**
   * The storage of each test's auth instance, called once per test (default: a fresh `memoryStorage()`).
   * A shared database works too: every email and group id the suite uses is random.
   */
  storage?: () => Promise<Storage>;
  /**
   * Called with every request the suite sends and the answer it got, before the test looks at it: a
   * place to hold every answer to a contract (latchkey's own tests check each one against the OpenAPI
   * document). An exception fails the test that sent the request.
   */
  onResponse?: (exchange: HttpExchange) => void | Promise<void>;
}

/**
 * Registers the HTTP conformance suite with vitest: the contract of `docs/http-api.md` (registration, login,
 * access tokens and JWKS, refresh rotation and reuse detection, logout and RFC 7009 revocation, sessions,
 * hostile input, throttling, multi-group isolation, concurrent refreshes and registrations), asserting
 * exact statuses, headers and bodies so that every adapter is proven to answer identically. Each test
 * gets a fresh auth instance with a hand-driven clock. Call it at the top level of a test file.
 *
 * @example
 * ```ts
 * // test/http/fetch.test.ts
 * import { createFetchHandler } from 'latchkey/fetch';
 * import { fetchClient, runHttpConformance } from 'latchkey/testing';
 *
 * runHttpConformance({
 *   name: 'fetch',
 *   createClient: async (auth, { groups }) => fetchClient(createFetchHandler(auth, { groups })),
 * });
 * ```
 */
export function runHttpConformance(options: HttpConformanceOptions): void {
  const { name, storage = async () => memoryStorage(), onResponse } = options;
  const createClient = onResponse ? observeExchanges(options.createClient, onResponse) : options.createClient;

  describe(`HTTP conformance: ${name}`, () => {
    const ctx = createSuiteContext(createClient, storage);

    afterEach(async () => {
      await ctx.closeAll();
    });

    describeRegistration(ctx);
    describeLogin(ctx);
    describeRefresh(ctx);
    describeLogout(ctx);
    describeSessions(ctx);
    describeValidation(ctx);
    describeHygiene(ctx);
    describeGroups(ctx);
    describeConcurrency(ctx);
    describeEmailVerification(ctx);
    describePasswords(ctx);
    describeAccountSelfService(ctx);
    describeOtp(ctx);
    describeTotp(ctx);
    describeTwoFactorLogin(ctx);
    describeAccountTakeover(ctx);
    describeWebauthn(ctx);
    describeAdmin(ctx);
    describeAdminChanges(ctx);
    describeAccountSearch(ctx);
    describeAudit(ctx);
    describeGroupSettings(ctx);
    describeGroupAdmin(ctx);
    describeAccountImport(ctx);
    describeWebhooks(ctx);
    describeTokenEndpoints(createClient, storage);
  });
}
