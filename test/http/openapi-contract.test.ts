import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createAuth } from '../../src/create-auth.js';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { fetchClient } from '../../src/testing/http-client.js';
import { runHttpConformance } from '../../src/testing/http-conformance.js';
import type { HttpExchange } from '../../src/testing/http/observe.js';
import { TEST_SECRET } from '../core/helpers.js';
import { contractChecker } from './openapi-validator.js';

// The whole HTTP conformance suite, on the fetch handler with memory storage, with every answer checked
// against the OpenAPI document of its mount: its status documented, its body matching the schema.
runHttpConformance({
  name: 'fetch, checked against the OpenAPI document',
  createClient: async (auth, { groups }) => fetchClient(createFetchHandler(auth, { groups })),
  onResponse: contractChecker(),
});

describe('the contract checker', () => {
  const check = contractChecker();
  const auth = createAuth({ storage: memoryStorage(), secret: TEST_SECRET, logger: silentLogger });
  const exchange = (method: string, path: string, status: number, body?: unknown): HttpExchange => ({
    auth,
    groups: false,
    method,
    path,
    request: {},
    response: { status, headers: new Headers(), body, text: body === undefined ? '' : JSON.stringify(body) },
  });
  const unauthenticated = { error: { code: 'unauthenticated', message: 'A bearer access token is required.' } };

  it('takes a documented status with a body that matches its schema', () => {
    expect(() => check(exchange('GET', '/auth/account', 401, unauthenticated))).not.toThrow();
    expect(() => check(exchange('POST', '/auth/logout', 204))).not.toThrow();
  });

  it('refuses a status the operation does not document', () => {
    expect(() => check(exchange('GET', '/auth/account', 409, { error: { code: 'conflict', message: 'x' } }))).toThrow(
      /getAccount .* does not document status 409/,
    );
  });

  it('refuses an error code the operation does not document for that status', () => {
    const wrong = { error: { code: 'invalid_credentials', message: 'x' } };
    expect(() => check(exchange('GET', '/auth/account', 401, wrong))).toThrow(/does not match the document/);
  });

  it('refuses a body that is not the documented resource, and a body where none is documented', () => {
    expect(() => check(exchange('GET', '/auth/account', 200, { id: 'acc_1' }))).toThrow(/does not match the document/);
    expect(() => check(exchange('POST', '/auth/logout', 204, {}))).toThrow(/documents no body/);
  });

  it('refuses a success on a path or method the document does not list', () => {
    expect(() => check(exchange('GET', '/auth/nowhere', 200, {}))).toThrow(/undocumented operation/);
    expect(() => check(exchange('GET', '/auth/nowhere', 404, { error: { code: 'not_found', message: 'No such route.' } }))).not.toThrow();
  });
});
