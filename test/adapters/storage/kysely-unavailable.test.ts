import { createServer, connect, type Server, type Socket } from 'node:net';
import { Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFetchHandler } from '../../../src/http/fetch-handler.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { createTestAuth, PASSWORD } from '../../core/helpers.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  serviceUrl,
  type ServiceName,
  type TestDatabase,
} from '../../support/services.js';

/**
 * A database that goes away in the middle of traffic (a restart, a dropped connection) answers 503
 * `unavailable` with `Retry-After`, never a 500, and the app recovers by itself once it is back. The
 * shared server is not touched: the app reaches it through a TCP proxy in this test, which is stopped
 * (dropping every connection and refusing new ones) and started again on the same port.
 */
class FlakyProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly upstream: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.upstream);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

const servers: Array<{ service: ServiceName; open: () => Promise<TestDatabase>; via: (db: TestDatabase, port: number) => Promise<Kysely<any>> }> = [
  {
    service: 'postgres',
    open: () => pgTestDatabase(),
    via: async (db, port) => {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db.db);
      const url = new URL(serviceUrl('postgres'));
      url.host = `127.0.0.1:${port}`;
      const pool = new pg.Pool({ connectionString: url.toString(), options: `-c search_path=${rows[0]!.schema}`, connectionTimeoutMillis: 2_000 });
      // As an app's pool must: a dropped connection emits 'error' on the pool (idle) or its client (in use).
      pool.on('error', () => {});
      pool.on('connect', (client) => client.on('error', () => {}));
      return new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    },
  },
  {
    service: 'mysql',
    open: () => mysqlTestDatabase(),
    via: async (db, port) => {
      const { rows } = await sql<{ name: string }>`select database() as name`.execute(db.db);
      const url = new URL(serviceUrl('mysql'));
      url.host = `127.0.0.1:${port}`;
      url.pathname = `/${rows[0]!.name}`;
      return new Kysely<any>({ dialect: new MysqlDialect({ pool: createPool({ uri: url.toString(), connectTimeout: 2_000 }) }) });
    },
  },
];

for (const server of servers) {
  await describeWithService(server.service, `the database out of reach (${server.service})`, () => {
    let database: TestDatabase;
    let proxy: FlakyProxy;
    let viaProxy: Kysely<any>;
    beforeAll(async () => {
      database = await server.open();
      await migrate(database.db);
      const upstream = new URL(serviceUrl(server.service));
      proxy = new FlakyProxy({ host: upstream.hostname, port: Number(upstream.port) });
      await proxy.start();
      viaProxy = await server.via(database, proxy.port);
    });
    afterAll(async () => {
      await proxy?.stop();
      await viaProxy?.destroy().catch(() => {});
      await database?.destroy();
    });

    it('answers 503 unavailable with Retry-After while it is gone, then recovers by itself', async () => {
      const errors: string[] = [];
      const logger = { debug() {}, info() {}, warn() {}, error: (message: string) => void errors.push(message) };
      const t = createTestAuth({ storage: kyselyStorage(viaProxy), logger });
      const handler = createFetchHandler(t.auth);
      const call = (path: string, body: unknown) =>
        handler(
          new Request(`http://localhost/auth${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
          { ip: '192.0.2.1' },
        );
      const login = () => call('/login', { email: 'ada@example.com', password: PASSWORD });
      expect((await call('/accounts', { email: 'ada@example.com', password: PASSWORD })).status).toBe(201);
      expect((await login()).status).toBe(200);

      await proxy.stop();
      for (let i = 0; i < 3; i++) {
        const refused = await login();
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('5');
        const text = await refused.text();
        expect(JSON.parse(text)).toEqual({ error: { code: 'unavailable', message: 'The database is not reachable; try again shortly.' } });
        expect(text).not.toMatch(/at .*\.ts|select|insert|ECONN/i);
      }
      expect(errors).not.toContain('unexpected error while handling a request');

      await proxy.start();
      let answer = await login();
      // The pool may hand out one connection that died with the proxy before it notices.
      for (let i = 0; i < 5 && answer.status === 503; i++) answer = await login();
      expect(answer.status).toBe(200);
    });
  });
}
