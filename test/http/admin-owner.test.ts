import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { createTestAuth, PASSWORD } from '../core/helpers.js';

/** The group owner is set by the app through storage, which the conformance harness does not expose. */
describe('DELETE /accounts/{id} and DELETE /account of the group owner', () => {
  it('answer 409 conflict and delete nothing until the ownership moves', async () => {
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

    // The owner cannot delete itself either (DELETE /account), whatever proof it gives.
    const own = await auth.login({ email: 'owner@example.com', password: PASSWORD });
    const self = await call('DELETE', '/account', own.accessToken, { password: PASSWORD });
    expect(self.status).toBe(409);
    expect(await self.json()).toEqual({
      error: { code: 'conflict', message: 'This account owns its group; transfer the ownership before deleting it.' },
    });
    expect((await call('GET', '/account', own.accessToken)).status).toBe(200);

    // Another administrator cannot move the ownership away; the owner (or the app) can.
    const taken = await call('PATCH', '/group', accessToken, { ownerId: null });
    expect(taken.status).toBe(403);
    await auth.updateGroup({ patch: { ownerId: null } });
    expect((await call('DELETE', `/accounts/${owner.id}`, accessToken)).status).toBe(200);
  });
});
