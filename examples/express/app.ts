import express, { type Express } from 'express';
import type { Auth } from '../../src/index.js';
import { createAuthRouter, requireAuth } from '../../src/http/express.js';
import { indexBody, meBody } from '../shared/config.js';

/** The Express demo: latchkey under `/auth`, and the app's own protected `GET /api/me`. */
export function createApp(auth: Auth): Express {
  const app = express();
  app.get('/', (_req, res) => {
    res.json(indexBody('Express'));
  });
  app.use('/auth', createAuthRouter(auth));
  app.get('/api/me', requireAuth(auth), (req, res) => {
    res.json(meBody(req.auth!));
  });
  return app;
}
