import Fastify, { type FastifyInstance } from 'fastify';
import type { Auth } from '../../src/index.js';
import { authPlugin, requireAuth } from '../../src/http/fastify.js';
import { indexBody, meBody } from '../shared/config.js';

/** The Fastify demo: latchkey under `/auth`, and the app's own protected `GET /api/me`. */
export async function createApp(auth: Auth): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/', async () => indexBody('Fastify'));
  await app.register(authPlugin, { auth, prefix: '/auth' });
  app.get('/api/me', { preHandler: requireAuth(auth) }, async (req) => meBody(req.auth!));
  return app;
}
