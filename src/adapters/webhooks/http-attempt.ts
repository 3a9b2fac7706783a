import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** @internal The parts of node:http and node:https used here (both have this `request`). */
export interface NodeHttp {
  request: typeof import('node:http').request;
}

/** @internal One POST to an address already resolved and checked. */
export interface HttpAttempt {
  url: URL;
  /** The checked address to connect to; `url`'s hostname is only sent as `Host` and TLS SNI. */
  address: string;
  family: 4 | 6;
  /** The hostname for SNI and the certificate check; null when the URL's host is an IP literal. */
  servername: string | null;
  headers: Record<string, string>;
  body: string;
  maxResponseBytes: number;
  /** Aborts the attempt: before the response it rejects with {@link AttemptTimeout}; after, reading stops. */
  signal: AbortSignal;
  ca?: string | readonly string[] | undefined;
}

/** @internal What came back. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most `maxResponseBytes` of the body. */
  body: Buffer;
  /** Reading stopped before the end of the body: it reached `maxResponseBytes`, or the deadline. */
  truncated: boolean;
}

/** @internal The deadline passed before a response came. */
export class AttemptTimeout extends Error {}

/** Headers latchkey sets itself; a caller's version of them is dropped. */
const OWN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/**
 * @internal POSTs to the pinned address with a fresh connection (no agent pool), never follows a
 * redirect (node:http does not), reads at most `maxResponseBytes` and then destroys the socket.
 */
export function postOnce(http: NodeHttp, attempt: HttpAttempt): Promise<HttpAnswer> {
  const { url, signal } = attempt;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(attempt.headers)) {
    if (!OWN_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  headers['host'] = url.host;
  headers['content-length'] = String(Buffer.byteLength(attempt.body));

  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AttemptTimeout());
    let settled = false;
    let answer: IncomingMessage | null = null;
    const chunks: Buffer[] = [];
    let size = 0;

    const request = http.request({
      protocol: url.protocol,
      host: attempt.address,
      family: attempt.family,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers,
      agent: false,
      ...(url.protocol === 'https:' && {
        ...(attempt.servername !== null && { servername: attempt.servername }),
        ...(attempt.ca !== undefined && { ca: typeof attempt.ca === 'string' ? attempt.ca : [...attempt.ca] }),
      }),
    });

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      request.destroy();
      outcome();
    };
    const finish = (truncated: boolean) =>
      settle(() => resolve({ status: answer!.statusCode ?? 0, headers: answer!.headers, body: Buffer.concat(chunks), truncated }));
    const fail = (error: unknown) => (answer ? finish(true) : settle(() => reject(error)));
    function onAbort() {
      fail(new AttemptTimeout());
    }
    signal.addEventListener('abort', onAbort);

    request.on('error', fail);
    request.on('response', (response) => {
      answer = response;
      if (attempt.maxResponseBytes === 0) return finish(!response.complete);
      response.on('data', (chunk: Buffer) => {
        const room = attempt.maxResponseBytes - size;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += Math.min(room, chunk.length);
        if (size >= attempt.maxResponseBytes) finish(true);
      });
      response.on('end', () => finish(false));
      response.on('error', () => finish(true));
      response.on('close', () => finish(!response.complete));
    });
    request.end(attempt.body);
  });
}
