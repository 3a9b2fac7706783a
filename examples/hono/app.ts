import { Hono } from 'hono';
import type { Auth } from '../../src/index.js';
import { createAuthApp, requireAuth } from '../../src/http/hono.js';
import { type ExampleAppOptions, indexBody, meBody } from '../shared/config.js';
import { outboxBody } from '../shared/mailer.js';

/**
 * The demo app: latchkey's routes under `/auth`, one route of the app's own, `GET /api/me`, that only
 * a signed-in account reaches, and, when given an outbox, `GET /dev/outbox`. Importable, so tests can
 * serve it on any port.
 */
export function createApp(auth: Auth, options: ExampleAppOptions = {}): Hono {
  const { outbox } = options;
  const app = new Hono();
  app.get('/', (c) => c.json(indexBody('Hono', { outbox: Boolean(outbox) })));
  app.route('/auth', createAuthApp(auth));
  app.get('/api/me', requireAuth(auth), (c) => c.json(meBody(c.get('auth'))));
  if (outbox) {
    app.get('/dev/outbox', (c) => c.json(outboxBody(outbox), 200, { 'cache-control': 'no-store' }));
  }
  return app;
}
