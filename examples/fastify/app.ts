import Fastify, { type FastifyInstance } from 'fastify';
import type { Auth } from '../../src/index.js';
import { createAuthPlugin, requireAuth } from '../../src/http/fastify.js';
import { type ExampleAppOptions, indexBody, meBody } from '../shared/config.js';
import { outboxAsset, smsAsset } from '../shared/dev-pages.js';
import { fastifyTrustProxy } from '../shared/trust-proxy.js';
import { DEMO_CONFIG_PATH, WEB_PATHS, demoConfigAsset, webAsset } from '../shared/web.js';

/**
 * The Fastify demo: the web app at `/` (with `/styles.css` and `/app.js`), the API reference at `/docs`,
 * the list of routes at `GET /api`, how it runs at `GET /demo-config.json`, latchkey under `/auth`, the
 * app's own protected `GET /api/me`, and, when given them, `GET /dev/outbox` (mails) and `GET /dev/sms`
 * (text messages), as JSON, or as a page for a browser.
 */
export async function createApp(auth: Auth, options: ExampleAppOptions = {}): Promise<FastifyInstance> {
  const { outbox, sms, groups = false } = options;
  // latchkey's Fastify plugin reads request.ip, which follows this option (Fastify's own `true` would
  // trust every hop and a number none, so hop counts arrive as a test of the hop).
  const app = Fastify({ trustProxy: fastifyTrustProxy(options.trustProxy) });
  for (const path of WEB_PATHS) {
    app.get(path, async (_req, reply) => {
      const asset = await webAsset(path);
      return reply.code(asset.status).headers(asset.headers).send(asset.body);
    });
  }
  app.get(DEMO_CONFIG_PATH, async (_req, reply) => {
    const asset = demoConfigAsset({ groups });
    return reply.code(asset.status).headers(asset.headers).send(asset.body);
  });
  app.get('/api', async () => indexBody('Fastify', { outbox: Boolean(outbox), sms: Boolean(sms) }));
  await app.register(createAuthPlugin(auth, { groups }), { prefix: '/auth' });
  if (groups) {
    // The token must belong to the group the path names.
    app.get<{ Params: { group: string } }>('/api/:group/me', {
      preHandler: (req, reply) => requireAuth(auth, { group: req.params.group }).call(app, req, reply),
    }, async (req) => meBody(req.auth));
  } else {
    app.get('/api/me', { preHandler: requireAuth(auth) }, async (req) => meBody(req.auth));
  }
  if (outbox) {
    app.get('/dev/outbox', async (req, reply) => {
      const asset = outboxAsset(outbox, req.headers.accept);
      return reply.code(asset.status).headers(asset.headers).send(asset.body);
    });
  }
  if (sms) {
    app.get('/dev/sms', async (req, reply) => {
      const asset = smsAsset(sms, req.headers.accept);
      return reply.code(asset.status).headers(asset.headers).send(asset.body);
    });
  }
  return app;
}
