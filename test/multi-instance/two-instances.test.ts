import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/kysely.js';
import { PASSWORD } from '../core/helpers.js';
import { describeWithService, pgTestDatabase, serviceUrl, type TestDatabase } from '../support/services.js';
import { call, errorCode, guessAtOnce, sessionIdOf, startInstances, type Deployment, type Instance } from './fixtures/instances.js';

/** The default `throttle.loginPerClient`: failed logins per (account, client) in 15 minutes. */
const LOGIN_PER_CLIENT = 10;

/**
 * Two app processes (fixtures/app.ts) behind no balancer, on one PostgreSQL schema and one Redis, as a
 * deployment of N instances runs: the test spreads its requests over both. Rate limits are counted in
 * Redis (`latchkey/redis`), so the instances share one budget; sessions and refresh tokens live in
 * PostgreSQL, so what one instance ends, the other refuses.
 */
await describeWithService('postgres', 'two app instances on one PostgreSQL', async () => {
  await describeWithService('redis', 'and one Redis', () => {
    let database: TestDatabase;
    let deployment: Deployment;
    let instances: Instance[];
    let a: Instance;
    let b: Instance;

    beforeAll(async () => {
      database = await pgTestDatabase();
      await migrate(database.db);
      deployment = await startInstances(database, serviceUrl('redis'));
      instances = deployment.instances;
      [a, b] = deployment.instances;
    }, 120_000);

    afterAll(async () => {
      await deployment?.stop();
      await database?.destroy();
    });

    async function signUpAndIn(email: string, on: Instance): Promise<{ accessToken: string; refreshToken: string }> {
      expect((await call(on, 'POST', '/accounts', { email, password: PASSWORD })).status).toBe(201);
      const login = await call(on, 'POST', '/login', { email, password: PASSWORD });
      expect(login.status).toBe(200);
      return login.body;
    }

    it(`40 concurrent wrong passwords over both instances: exactly ${LOGIN_PER_CLIENT} are checked (401), the rest refused (429)`, { timeout: 60_000 }, async () => {
      await signUpAndIn('target@example.com', a);
      const statuses = await guessAtOnce(instances, 'target@example.com', 40);
      expect(statuses, `errors logged: ${JSON.stringify(instances.map((i) => i.logs('error')))}`).toEqual({
        401: LOGIN_PER_CLIENT,
        429: 40 - LOGIN_PER_CLIENT,
      });
      // Either instance goes on refusing that client for that account, with the correct password too.
      for (const instance of instances) {
        const refused = await call(instance, 'POST', '/login', { email: 'target@example.com', password: PASSWORD });
        expect(refused.status).toBe(429);
        expect(errorCode(refused)).toBe('rate_limited');
      }
      for (const instance of instances) expect(instance.logs('error')).toEqual([]);
    });

    it('a session revoked through instance A is refused by instance B on its next request', { timeout: 30_000 }, async () => {
      const first = await signUpAndIn('revoked@example.com', a);
      const second = await call(b, 'POST', '/login', { email: 'revoked@example.com', password: PASSWORD });
      expect(second.status).toBe(200);
      // B verifies the token first, and so remembers it (verifiedTokenCache): only its signature check
      // is skipped after that, never the session's.
      expect((await call(b, 'GET', '/account', undefined, first.accessToken)).status).toBe(200);

      const revoke = await call(a, 'DELETE', `/account/sessions/${sessionIdOf(first.accessToken)}`, undefined, second.body.accessToken);
      expect(revoke.status).toBe(204);
      const refused = await call(b, 'GET', '/account', undefined, first.accessToken);
      expect(refused.status).toBe(401);
      expect(errorCode(refused)).toBe('unauthenticated');
      expect((await call(b, 'POST', '/token/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
      // The other session lives on, on both.
      for (const instance of instances) expect((await call(instance, 'GET', '/account', undefined, second.body.accessToken)).status).toBe(200);
    });

    it('a refresh token rotated on A and replayed on B is detected as reuse, and the session ends', { timeout: 30_000 }, async () => {
      const tokens = await signUpAndIn('replayed@example.com', a);
      const rotated = await call(a, 'POST', '/token/refresh', { refreshToken: tokens.refreshToken });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refreshToken).not.toBe(tokens.refreshToken);

      const replay = await call(b, 'POST', '/token/refresh', { refreshToken: tokens.refreshToken });
      expect(replay.status).toBe(401);
      expect(errorCode(replay)).toBe('refresh_token_reused');
      // Reuse ends the session: the rotated token and its access token die with it, on both instances.
      expect((await call(a, 'POST', '/token/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
      for (const instance of instances) expect((await call(instance, 'GET', '/account', undefined, rotated.body.accessToken)).status).toBe(401);
    });
  });
});
