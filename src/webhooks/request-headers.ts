/**
 * The request headers {@link verifyWebhook} reads: a `Headers` instance (fetch, Hono's
 * `c.req.raw.headers`) or a plain object with names in any case, as Node (`req.headers` in Express,
 * Fastify and `node:http`) and Hono's `c.req.header()` give them.
 *
 * @example
 * ```ts
 * const fromNode: WebhookRequestHeaders = req.headers
 * const fromFetch: WebhookRequestHeaders = request.headers
 * ```
 */
export type WebhookRequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The value of header `name` (lower case), or null when it is absent or empty. Repeated values are
 * joined with `, ` as `Headers.get` joins them.
 */
export function headerValue(headers: WebhookRequestHeaders, name: string): string | null {
  if (isHeaders(headers)) return headers.get(name) || null;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    const joined = typeof value === 'string' ? value : value.join(', ');
    if (joined) return joined;
  }
  return null;
}

function isHeaders(headers: WebhookRequestHeaders): headers is Headers {
  return typeof (headers as Partial<Headers>).get === 'function';
}
