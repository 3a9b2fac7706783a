import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { createTestAuth, PASSWORD } from '../core/helpers.js';

/** The group owner is set by the app through storage, which the conformance harness does not expose. */
describe('DELETE /accounts/{id} of the group owner', () => {
  it('answers 409 conflict and deletes nothing', async () => {
    const storage = memoryStorage();
    const { auth } = createTestAuth({ storage });
    const handler = createFetchHandler(auth);
    const call = (method: string, path: string, token?: string, body?: unknown) =>
      handler(
        new Request(`http://localhost/auth${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? null : JSON.stringify(body),
        }),
      );
    const owner = await auth.register({ email: 'owner@example.com', password: PASSWORD });
    await storage.groups.update('default', { ownerId: owner.id });
    await auth.register({ email: 'admin@example.com', password: PASSWORD });
    await auth.grantRole({ email: 'admin@example.com', role: 'admin' });
    const { accessToken } = await auth.login({ email: 'admin@example.com', password: PASSWORD });

    const res = await call('DELETE', `/accounts/${owner.id}`, accessToken);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'conflict', message: 'This account owns its group; transfer the ownership before deleting it.' },
    });
    expect((await call('GET', `/accounts/${owner.id}`, accessToken)).status).toBe(200);
  });
});
