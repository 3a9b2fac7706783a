import express, { type Express } from 'express';
import type { Auth } from '../../src/index.js';
import { createAuthRouter, requireAuth } from '../../src/http/express.js';
import { type ExampleAppOptions, indexBody, meBody } from '../shared/config.js';
import { outboxBody } from '../shared/mailer.js';

/**
 * The Express demo: latchkey under `/auth`, the app's own protected `GET /api/me`, and, when given an
 * outbox, `GET /dev/outbox`.
 */
export function createApp(auth: Auth, options: ExampleAppOptions = {}): Express {
  const { outbox } = options;
  const app = express();
  app.get('/', (_req, res) => {
    res.json(indexBody('Express', { outbox: Boolean(outbox) }));
  });
  app.use('/auth', createAuthRouter(auth));
  app.get('/api/me', requireAuth(auth), (req, res) => {
    res.json(meBody(req.auth!));
  });
  if (outbox) {
    app.get('/dev/outbox', (_req, res) => {
      res.set('cache-control', 'no-store').json(outboxBody(outbox));
    });
  }
  return app;
}
