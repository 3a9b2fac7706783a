import { type Auth, isAuthError, type WebhookEndpointResource } from '../../src/index.js';
import { createWebhookSender, type WebhookHttpSender } from '../../src/adapters/index.js';
import { type ExampleMode, ExampleStartError } from './mode.js';

/** Receivers the demo reaches in development although they are loopback: this machine's. */
const LOCAL_RECEIVERS = ['127.0.0.0/8', '::1', 'localhost'];

/**
 * What `WEBHOOK_ALLOW_PRIVATE=1` adds, in any mode: loopback and the RFC 1918 networks. Not link-local,
 * CGNAT or unique-local IPv6, where cloud metadata services answer (169.254.169.254, 100.100.100.200,
 * fd00:ec2::254).
 */
const PRIVATE_RECEIVERS = [...LOCAL_RECEIVERS, '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** How the demo delivers webhooks, from its environment. */
export interface ExampleWebhooks {
  /** latchkey's `webhookSender`: https only in production; loopback and private addresses as allowed. */
  sender: WebhookHttpSender;
  /** `WEBHOOK_URL`, trimmed and accepted by `sender`; null when unset. */
  url: string | null;
  /** The start-up line's account of where webhooks may go. */
  description: string;
}

/**
 * The demo's webhook sender and the endpoint to subscribe at start-up. Receivers on this machine
 * (127.0.0.0/8, ::1, localhost) are allowed in development; `WEBHOOK_ALLOW_PRIVATE=1` allows them and the
 * RFC 1918 networks in any mode. Production sends over https only, allowed or not (`createWebhookSender`
 * with `production: true`). `WEBHOOK_URL` is checked here, before anything is opened or written.
 *
 * @throws ExampleStartError when `WEBHOOK_ALLOW_PRIVATE` is not 1/true/0/false, or `WEBHOOK_URL` is not a
 *   URL or is refused by the sender (its reason, and what to set)
 * @example
 * ```ts
 * exampleWebhooks({ WEBHOOK_URL: 'http://127.0.0.1:4000/hook' }, 'development').url // 'http://127.0.0.1:4000/hook'
 * exampleWebhooks({ WEBHOOK_URL: 'http://127.0.0.1:4000/hook', NODE_ENV: 'production' }, 'production') // throws: https is required
 * ```
 */
export function exampleWebhooks(env: NodeJS.ProcessEnv, mode: ExampleMode): ExampleWebhooks {
  const allowPrivate = flag(env.WEBHOOK_ALLOW_PRIVATE);
  const allow = allowPrivate ? PRIVATE_RECEIVERS : mode === 'development' ? LOCAL_RECEIVERS : [];
  const sender = createWebhookSender({ production: mode === 'production', allow });
  const url = env.WEBHOOK_URL?.trim() || null;
  if (url) {
    if (!URL.canParse(url)) {
      throw new ExampleStartError(`WEBHOOK_URL must be the receiver's URL (https://hooks.example.com/latchkey), got ${url}.`);
    }
    const check = sender.check(url);
    if (!check.ok) throw new ExampleStartError(`WEBHOOK_URL ${redacted(url)} is refused: ${check.reason}${refusalHint(check.reason, allowPrivate, env)}.`);
  }
  const where =
    allowPrivate ? 'to loopback and private networks too (WEBHOOK_ALLOW_PRIVATE=1: 127.0.0.0/8, ::1, localhost, 10/8, 172.16/12, 192.168/16)'
    : mode === 'development' ? 'to local receivers too (127.0.0.1, ::1, localhost)'
    : 'to public addresses only';
  return { sender, url, description: `delivered from this process, ${where}${mode === 'production' ? ', over https only' : ''}` };
}

/**
 * Subscribes `url` to every event of the default group unless an endpoint with exactly that URL exists
 * there, and says so in one line: with the signing secret when it is created (the only time it is
 * shown), without it when it was already subscribed (a restart), which leaves that endpoint and its
 * secret as they are.
 *
 * @throws ExampleStartError when latchkey refuses the endpoint (the group already has 20)
 * @example
 * ```ts
 * await subscribeExampleWebhook(auth, 'http://127.0.0.1:4000/hook', console.log)
 * // [example] webhooks: subscribed WEBHOOK_URL as whe_01J… to every event. Its signing secret, shown this once only: whsec_…
 * ```
 */
export async function subscribeExampleWebhook(auth: Auth, url: string, print: (line: string) => void): Promise<void> {
  const existing = await findEndpoint(auth, url);
  if (existing) {
    const state = existing.disabledAt ? ` (disabled: ${existing.disabledReason ?? 'admin'}; enable it on the admin page)` : '';
    print(`[example] webhooks: WEBHOOK_URL is already subscribed as ${existing.id}${state}. Its secret was shown when it was subscribed; rotate it on the admin page for a new one.`);
    return;
  }
  const created = await auth.createWebhookEndpoint({ url, description: 'WEBHOOK_URL, subscribed at start-up' }).catch((error: unknown) => {
    if (!isAuthError(error)) throw error;
    const details = (error.details ?? []).map((detail) => `${detail.path} ${detail.message}`).join('; ');
    throw new ExampleStartError(`WEBHOOK_URL could not be subscribed: ${error.message}${details ? ` (${details})` : ''}`, { cause: error });
  });
  print(`[example] webhooks: subscribed WEBHOOK_URL as ${created.id} to every event. Its signing secret, shown this once only: ${created.secret}`);
}

async function findEndpoint(auth: Auth, url: string): Promise<WebhookEndpointResource | null> {
  let cursor: string | null = null;
  do {
    const page = await auth.listWebhookEndpoints({ cursor });
    const found = page.data.find((endpoint) => endpoint.url === url);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  return null;
}

/** `1`/`true` on, unset/empty/`0`/`false` off; anything else is a mistake worth stopping for. */
function flag(value: string | undefined): boolean {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '1' || text === 'true') return true;
  if (text === '' || text === '0' || text === 'false') return false;
  throw new ExampleStartError(`WEBHOOK_ALLOW_PRIVATE must be 1 (allow receivers on loopback and private networks) or 0, got ${value}.`);
}

function refusalHint(reason: string, allowPrivate: boolean, env: NodeJS.ProcessEnv): string {
  if (reason.startsWith('https')) return ` (NODE_ENV=${env.NODE_ENV} runs the demo in production: give the receiver an https URL)`;
  if (!allowPrivate && (reason.includes('loopback') || reason.includes('private') || reason.startsWith('localhost'))) {
    return ' (set WEBHOOK_ALLOW_PRIVATE=1 for a receiver on this machine or a private network)';
  }
  return '';
}

/** The URL without a password, should one be in it (the sender refuses credentials anyway). */
function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.password ? parsed.href : url;
}
