import { Hono } from 'hono';
import type { Auth } from '../../src/index.js';
import { createAuthApp, requireAuth } from '../../src/http/hono.js';
import { indexBody, meBody } from '../shared/config.js';

/**
 * The demo app: latchkey's routes under `/auth`, and one route of the app's own, `GET /api/me`, that
 * only a signed-in account reaches. Importable, so tests can serve it on any port.
 */
export function createApp(auth: Auth): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json(indexBody('Hono')));
  app.route('/auth', createAuthApp(auth));
  app.get('/api/me', requireAuth(auth), (c) => c.json(meBody(c.get('auth'))));
  return app;
}
