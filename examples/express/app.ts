import express, { type Express } from 'express';
import type { Auth } from '../../src/index.js';
import { createAuthRouter, requireAuth } from '../../src/http/express.js';
import { type ExampleAppOptions, indexBody, meBody } from '../shared/config.js';
import { outboxAsset, smsAsset } from '../shared/dev-pages.js';
import { expressTrustProxy } from '../shared/trust-proxy.js';
import { DEMO_CONFIG_PATH, WEB_PATHS, demoConfigAsset, webAsset } from '../shared/web.js';

/**
 * The Express demo: the web app at `/` (with `/styles.css` and `/app.js`), the API reference at `/docs`,
 * the list of routes at `GET /api`, how it runs at `GET /demo-config.json`, latchkey under `/auth`, the
 * app's own protected `GET /api/me`, and, when given them, `GET /dev/outbox` (mails) and `GET /dev/sms`
 * (text messages), as JSON, or as a page for a browser.
 */
export function createApp(auth: Auth, options: ExampleAppOptions = {}): Express {
  const { outbox, sms, groups = false } = options;
  const app = express();
  // latchkey's Express router reads req.ip, which follows this setting (Express's own `true` would trust
  // every hop, so `TRUST_PROXY=true` arrives as 1).
  app.set('trust proxy', expressTrustProxy(options.trustProxy));
  for (const path of WEB_PATHS) {
    app.get(path, async (_req, res) => {
      const asset = await webAsset(path);
      res.status(asset.status).set(asset.headers).send(asset.body);
    });
  }
  app.get(DEMO_CONFIG_PATH, (_req, res) => {
    const asset = demoConfigAsset({ groups });
    res.status(asset.status).set(asset.headers).send(asset.body);
  });
  app.get('/api', (_req, res) => {
    res.json(indexBody('Express', { outbox: Boolean(outbox), sms: Boolean(sms) }));
  });
  app.use('/auth', createAuthRouter(auth, { groups }));
  if (groups) {
    // The token must belong to the group the path names.
    app.get('/api/:group/me', (req, res, next) => requireAuth(auth, { group: req.params.group })(req, res, next), (req, res) => {
      res.json(meBody(req.auth));
    });
  } else {
    app.get('/api/me', requireAuth(auth), (req, res) => {
      res.json(meBody(req.auth));
    });
  }
  if (outbox) {
    app.get('/dev/outbox', (req, res) => {
      const asset = outboxAsset(outbox, req.get('accept'));
      res.status(asset.status).set(asset.headers).send(asset.body);
    });
  }
  if (sms) {
    app.get('/dev/sms', (req, res) => {
      const asset = smsAsset(sms, req.get('accept'));
      res.status(asset.status).set(asset.headers).send(asset.body);
    });
  }
  return app;
}
