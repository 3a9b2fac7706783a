import type { Route } from './route.js';
import { adminRoutes } from './routes/admin.js';
import { groupRoutes } from './routes/groups.js';
import { openApiRoutes } from './routes/openapi.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { selfServiceRoutes } from './routes/self-service.js';
import { signInRoutes } from './routes/sign-in.js';
import { twoFactorRoutes } from './routes/two-factor.js';
import { webhookRoutes } from './routes/webhooks.js';

/**
 * The route table: the single source of truth for every adapter. Paths are relative to the mount point
 * (`/auth` by default) and, in multi-group mode, to the group prefix. Each part lives in `routes/`; the
 * OpenAPI document (`GET /openapi.json`) is built from it.
 */
export const routes: Route[] = [
  ...signInRoutes,
  ...selfServiceRoutes,
  ...twoFactorRoutes,
  ...passkeyRoutes,
  ...adminRoutes,
  ...groupRoutes,
  ...webhookRoutes,
  ...openApiRoutes(() => routes),
];
