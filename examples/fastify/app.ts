import Fastify, { type FastifyInstance } from 'fastify';
import type { Auth } from '../../src/index.js';
import { authPlugin, requireAuth } from '../../src/http/fastify.js';
import { type ExampleAppOptions, indexBody, meBody } from '../shared/config.js';
import { outboxBody } from '../shared/mailer.js';

/**
 * The Fastify demo: latchkey under `/auth`, the app's own protected `GET /api/me`, and, when given an
 * outbox, `GET /dev/outbox`.
 */
export async function createApp(auth: Auth, options: ExampleAppOptions = {}): Promise<FastifyInstance> {
  const { outbox } = options;
  const app = Fastify();
  app.get('/', async () => indexBody('Fastify', { outbox: Boolean(outbox) }));
  await app.register(authPlugin, { auth, prefix: '/auth' });
  app.get('/api/me', { preHandler: requireAuth(auth) }, async (req) => meBody(req.auth!));
  if (outbox) {
    app.get('/dev/outbox', async (_req, reply) => reply.header('cache-control', 'no-store').send(outboxBody(outbox)));
  }
  return app;
}
