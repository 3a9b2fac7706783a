import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/kysely.js';
import { until } from '../core/webhooks/fixtures/spawn-app.js';
import { PASSWORD } from '../core/helpers.js';
import { describeWithService, pgTestDatabase, type TestDatabase } from '../support/services.js';
import { call, guessAtOnce, startInstances, type Deployment, type Instance } from './fixtures/instances.js';
import { describeWithRedisServer, startPrivateRedis, type PrivateRedis } from './fixtures/redis-server.js';

/** The default `throttle.loginPerClient`: failed logins per (account, client) in 15 minutes. */
const LOGIN_PER_CLIENT = 10;

/**
 * Two app processes on one PostgreSQL and a Redis of the test's own (the machine's shared Redis is never
 * stopped), which the test kills mid-run and starts again on the same port. What docs/deployment.md says
 * of the fallback, measured: sign-ins go on, each instance logs the outage once and its end once, and
 * while Redis is down each instance counts alone, so two instances let through twice the budget.
 */
await describeWithService('postgres', 'two app instances when their Redis goes away', () => {
  describeWithRedisServer('a private redis-server, killed and started again', () => {
    let database: TestDatabase;
    let server: PrivateRedis;
    let deployment: Deployment;
    let instances: Instance[];

    beforeAll(async () => {
      database = await pgTestDatabase();
      await migrate(database.db);
      server = await startPrivateRedis();
      deployment = await startInstances(database, server.url);
      instances = deployment.instances;
    }, 120_000);

    afterAll(async () => {
      await server?.restart(); // so that stop() can clear the keys
      await deployment?.stop();
      await server?.kill();
      await database?.destroy();
    });

    const outages = (instance: Instance) => instance.logs('error').filter((m) => m.includes('Redis is not answering'));
    const recoveries = (instance: Instance) => instance.logs('warn').filter((m) => m.includes('Redis answers again'));
    const signIn = async (instance: Instance) => (await call(instance, 'POST', '/login', { email: 'owner@example.com', password: PASSWORD })).status;

    it('logins go on through the outage, each instance counting alone; then both count in Redis again', { timeout: 90_000 }, async () => {
      const [a] = instances as [Instance, Instance];
      for (const email of ['owner@example.com', 'before@example.com', 'during@example.com', 'after@example.com']) {
        expect((await call(a, 'POST', '/accounts', { email, password: PASSWORD })).status).toBe(201);
      }
      expect(await guessAtOnce(instances, 'before@example.com', 40)).toEqual({ 401: LOGIN_PER_CLIENT, 429: 40 - LOGIN_PER_CLIENT });

      await server.kill();
      for (const instance of instances) expect(await signIn(instance)).toBe(200);
      // The cost of the fallback: one budget per instance.
      expect(await guessAtOnce(instances, 'during@example.com', 40)).toEqual({ 401: 2 * LOGIN_PER_CLIENT, 429: 40 - 2 * LOGIN_PER_CLIENT });
      for (const instance of instances) expect(await signIn(instance)).toBe(200);
      for (const instance of instances) {
        expect(outages(instance), instance.name).toHaveLength(1);
        expect(recoveries(instance), instance.name).toEqual([]);
      }

      await server.restart();
      // ioredis reconnects on its own schedule; each instance's next call after that finds Redis again.
      for (const instance of instances) {
        await until(
          async () => (await signIn(instance)) === 200 && recoveries(instance).length > 0,
          30_000,
          () => `instance ${instance.name} logged no recovery: ${JSON.stringify(instance.process.messages)}`,
        );
      }
      expect(await guessAtOnce(instances, 'after@example.com', 40)).toEqual({ 401: LOGIN_PER_CLIENT, 429: 40 - LOGIN_PER_CLIENT });
      // One outage and one recovery each, however many calls met them.
      for (const instance of instances) {
        expect(outages(instance), instance.name).toHaveLength(1);
        expect(recoveries(instance), instance.name).toHaveLength(1);
        expect(instance.logs('error'), instance.name).toHaveLength(1);
      }
    });
  });
});
