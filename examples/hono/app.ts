import { Hono } from 'hono';
import type { Auth } from '../../src/index.js';
import { type AuthVariables, createAuthApp, requireAuth } from '../../src/http/hono.js';
import { type ExampleAppOptions, indexBody, meBody } from '../shared/config.js';
import { outboxAsset, smsAsset } from '../shared/dev-pages.js';
import { DEMO_CONFIG_PATH, WEB_PATHS, demoConfigAsset, webAsset } from '../shared/web.js';

/**
 * The demo app: the web app at `/` (with `/styles.css`, `/app.js` and `/demo-config.json`), the API
 * reference at `/docs`, the list of routes at `GET /api`, latchkey's routes under `/auth`, one route of
 * the app's own, `GET /api/me`, that only a signed-in account reaches, and, when given them,
 * `GET /dev/outbox` (mails) and `GET /dev/sms` (text messages), as JSON, or as a page for a browser.
 * Importable, so tests can serve it on any port.
 */
export function createApp(auth: Auth, options: ExampleAppOptions = {}): Hono {
  const { outbox, sms, groups = false, trustProxy = false } = options;
  const app = new Hono();
  for (const path of WEB_PATHS) {
    app.get(path, async (c) => {
      const asset = await webAsset(path);
      return c.body(asset.body, asset.status, asset.headers);
    });
  }
  app.get(DEMO_CONFIG_PATH, (c) => {
    const asset = demoConfigAsset({ groups });
    return c.body(asset.body, asset.status, asset.headers);
  });
  app.get('/api', (c) => c.json(indexBody('Hono', { outbox: Boolean(outbox), sms: Boolean(sms) })));
  app.route('/auth', createAuthApp(auth, { groups, trustProxy }));
  if (groups) {
    // The token must belong to the group the path names.
    const guarded = new Hono<{ Variables: AuthVariables }>();
    guarded.get('/:group/me', (c, next) => requireAuth(auth, { group: c.req.param('group') })(c, next), (c) => c.json(meBody(c.get('auth'))));
    app.route('/api', guarded);
  } else {
    app.get('/api/me', requireAuth(auth), (c) => c.json(meBody(c.get('auth'))));
  }
  if (outbox) {
    app.get('/dev/outbox', (c) => {
      const asset = outboxAsset(outbox, c.req.header('accept'));
      return c.body(asset.body, asset.status, asset.headers);
    });
  }
  if (sms) {
    app.get('/dev/sms', (c) => {
      const asset = smsAsset(sms, c.req.header('accept'));
      return c.body(asset.body, asset.status, asset.headers);
    });
  }
  return app;
}
