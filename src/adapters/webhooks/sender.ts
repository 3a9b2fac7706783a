import type { Clock, WebhookSender, WebhookSendResult as PortSendResult } from '../../core/ports.js';
import { AttemptTimeout, type HttpAnswer, type NodeHttp, postOnce } from './http-attempt.js';
import { parseIp } from '../../core/lib/ip-address.js';
import { parseRetryAfter } from './retry-after.js';
import { checkWebhookUrl, hostnameOf, isAllowedHostname, isForbiddenAddress, type WebhookAllowList, type WebhookUrlCheck } from './url-policy.js';

/** One address a hostname resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to all its addresses (as `dns.promises.lookup(name, { all: true })`). */
export type WebhookLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Options of {@link createWebhookSender}. */
export interface WebhookSenderOptions {
  /** Require `https:` URLs. Default false. */
  production?: boolean;
  /** Private addresses and names to allow after all; see {@link WebhookAllowList}. Default: none. */
  allow?: WebhookAllowList;
  /** Bound on a whole attempt (DNS, connect, TLS, request, response), in ms. Default and maximum 15000. */
  timeoutMs?: number;
  /** How much of a response body is read before the socket is destroyed. Default 4096 bytes. */
  maxResponseBytes?: number;
  /** How hostnames are resolved, once per send. Default: node:dns `lookup` with `all: true`. */
  lookup?: WebhookLookup;
  /** Reads HTTP-date `Retry-After` values. Default: the system clock. */
  clock?: Clock;
  /**
   * Certificate authorities (PEM) to trust for https endpoints, instead of the default set (as
   * node:tls `ca`): for receivers behind a private CA, and for tests.
   */
  ca?: string | readonly string[];
}

/** What one send did: the port's `WebhookSendResult`, and how much of the answer was read. */
export interface WebhookSendResult extends PortSendResult {
  /** How many bytes of the body were read (at most `maxResponseBytes`). */
  bytesRead?: number;
  /** Reading stopped before the end of the body (at `maxResponseBytes` or at the deadline). */
  truncated?: boolean;
}

/** A signed request to deliver: the headers come from `webhookHeaders`, the body is sent as is. */
export interface WebhookSendRequest {
  url: string;
  /** Sent as given, except `host`, `content-length`, `transfer-encoding` and `connection`, which the sender sets. */
  headers: Record<string, string>;
  body: string;
}


/** latchkey's `WebhookSender` over node:http(s), with the details of each send beyond the port's. */
export interface WebhookHttpSender extends WebhookSender {
  /** Whether an endpoint URL may be subscribed at all: {@link checkWebhookUrl} with this sender's policy. */
  check(url: string): WebhookUrlCheck;
  /** POSTs the request once. Resolves with the outcome; never rejects. */
  send(request: WebhookSendRequest): Promise<WebhookSendResult>;
}

const MAX_TIMEOUT_MS = 15_000;
const EXCERPT_CHARS = 256;

/**
 * A webhook sender that resists server-side request forgery. For each send it checks the URL
 * ({@link checkWebhookUrl}), resolves the hostname exactly once and refuses when ANY of its addresses is
 * forbidden ({@link isForbiddenAddress}), then connects to that checked address itself — the hostname
 * is only sent as `Host` and as TLS SNI, so the certificate is still checked against it — so a DNS
 * answer that changes between check and connect (DNS rebinding) cannot redirect the request. It
 * follows no redirect (a 3xx fails with `redirect not followed`), reads at most `maxResponseBytes` of
 * the answer, and bounds the whole attempt by `timeoutMs`. A 2xx is delivered; 410 sets `gone`; a
 * 429's or 503's `Retry-After` is returned in seconds.
 *
 * @throws TypeError when `timeoutMs` is not 1–15000 or `maxResponseBytes` is not a non-negative integer
 * @example
 * ```ts
 * const sender = createWebhookSender({ production: true })
 * const body = JSON.stringify(event)
 * const headers = webhookHeaders({ id: event.id, timestamp: Math.floor(Date.now() / 1000), body, secrets })
 * const result = await sender.send({ url: endpoint.url, headers: { ...headers }, body })
 * if (result.gone) disable(endpoint)
 * else if (!result.delivered) retryLater(nextAttemptDelay(attempts, { retryAfterSeconds: result.retryAfterSeconds }))
 * ```
 */
export function createWebhookSender(options: WebhookSenderOptions = {}): WebhookHttpSender {
  const timeoutMs = options.timeoutMs ?? MAX_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new TypeError(`createWebhookSender: \`timeoutMs\` must be an integer from 1 to ${MAX_TIMEOUT_MS}`);
  }
  const maxResponseBytes = options.maxResponseBytes ?? 4096;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 0) {
    throw new TypeError('createWebhookSender: `maxResponseBytes` must be a non-negative integer');
  }
  const policy = { production: options.production ?? false, allow: [...(options.allow ?? [])] };
  const config: SendConfig = { ...options, policy, timeoutMs, maxResponseBytes, lookup: options.lookup ?? systemLookup };
  return {
    check: (url) => checkWebhookUrl(url, policy),
    send: async (request) => {
      const started = performance.now();
      const outcome = await sendOnce(request, config).catch(() => failure('request failed'));
      return { ...outcome, durationMs: Math.round(performance.now() - started) };
    },
  };
}

interface SendConfig extends WebhookSenderOptions {
  policy: { production: boolean; allow: string[] };
  timeoutMs: number;
  maxResponseBytes: number;
  lookup: WebhookLookup;
}

type Outcome = Omit<WebhookSendResult, 'durationMs'>;

async function sendOnce(request: WebhookSendRequest, config: SendConfig): Promise<Outcome> {
  const check = checkWebhookUrl(request.url, config.policy);
  if (!check.ok) return failure(check.reason);
  const url = check.url;
  const hostname = hostnameOf(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  try {
    const target = await withDeadline(resolveOnce(hostname, config), controller.signal);
    if ('error' in target) return failure(target.error);
    const http = await loadHttp(url.protocol);
    const answer = await postOnce(http, {
      url,
      ...target,
      servername: parseIp(hostname) ? null : hostname,
      headers: request.headers,
      body: request.body,
      maxResponseBytes: config.maxResponseBytes,
      signal: controller.signal,
      ca: config.ca,
    });
    return judge(answer, config.clock?.now() ?? new Date());
  } catch (error) {
    return failure(error instanceof AttemptTimeout ? `timed out after ${config.timeoutMs} ms` : describeError(error));
  } finally {
    clearTimeout(timer);
  }
}

/** The one DNS answer of this send, checked whole: a single forbidden address refuses the host. */
async function resolveOnce(hostname: string, config: SendConfig): Promise<ResolvedAddress | { error: string }> {
  const literal = parseIp(hostname);
  const addresses: readonly ResolvedAddress[] = literal
    ? [{ address: hostname, family: literal.length === 4 ? 4 : 6 }]
    : await config.lookup(hostname);
  const first = addresses[0];
  if (!first) return { error: 'host not found' };
  if (!isAllowedHostname(hostname, config.policy.allow)) {
    if (addresses.some(({ address }) => isForbiddenAddress(address, config.policy.allow))) {
      return { error: 'the host resolves to a forbidden address' };
    }
  }
  return { address: first.address, family: parseIp(first.address)?.length === 16 ? 6 : 4 };
}

function judge(answer: HttpAnswer, now: Date): Outcome {
  const { status } = answer;
  const excerpt = [...answer.body.toString('utf8')].slice(0, EXCERPT_CHARS).join('');
  const delivered = status >= 200 && status < 300;
  return {
    delivered,
    status,
    error: delivered ? null : status >= 300 && status < 400 ? 'redirect not followed' : `HTTP ${status}`,
    retryAfterSeconds: status === 429 || status === 503 ? parseRetryAfter(answer.headers['retry-after'], now) : null,
    gone: status === 410,
    excerpt,
    bytesRead: answer.body.length,
    truncated: answer.truncated,
  };
}

function failure(error: string): Outcome {
  return { delivered: false, status: null, error, retryAfterSeconds: null, gone: false, excerpt: null };
}

/** A short reason from a Node error's code; never its message, which can hold the address or the URL. */
function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[A-Z0-9_]+$/.test(code)) return 'request failed';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'host not found';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (code.startsWith('HPE_')) return 'invalid HTTP response';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS error (${code})`;
  return `request failed (${code})`;
}

function withDeadline<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AttemptTimeout());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new AttemptTimeout());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

// Node modules load on first send, so importing latchkey/adapters does not require them.
async function loadHttp(protocol: string): Promise<NodeHttp> {
  return protocol === 'https:' ? import('node:https') : import('node:http');
}

async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const dns = await import('node:dns');
  const answers = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}
