/**
 * Latency at low concurrency, to the microsecond: a few clients, each on its own keep-alive connection,
 * each sending its next request when the last one is answered. autocannon rounds latencies to whole
 * milliseconds, too coarse to see a 10 % change in a 3 ms refresh.
 */
import { Agent, request } from 'node:http';

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Latency {
  p50: number;
  p99: number;
  mean: number;
  /** Answered with a 2xx. */
  samples: number;
  /** Non-2xx answers and failed requests. */
  errors: number;
  /** Every 2xx request's latency in ms, sorted. */
  times: number[];
}

function send(base: string, agent: Agent, call: Call): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...call.headers, ...(call.body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(call.body)) } : {}) };
    const req = request(new URL(call.path, base), { method: call.method, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;

/**
 * `clients` closed loops for `seconds`. Each client asks `next(client)` for its request and hears its
 * answer through `answered(client, body)` (a refresh chain keeps its latest token that way). A client
 * stops at its first failure (counted in `errors`): a broken refresh chain would only fail on.
 */
export async function measureLatency(
  base: string,
  options: { clients: number; seconds: number },
  next: (client: number) => Call,
  answered: (client: number, body: string) => void = () => {},
): Promise<Latency> {
  const times: number[] = [];
  let errors = 0;
  const until = performance.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      // One socket per client: the proxy gives each new connection to the next instance.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        while (performance.now() < until) {
          const started = performance.now();
          try {
            const { status, body } = await send(base, agent, next(client));
            if (status < 200 || status >= 300) {
              errors++;
              break;
            }
            times.push(performance.now() - started);
            answered(client, body);
          } catch {
            errors++;
            break;
          }
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return summarize(times, errors);
}

function summarize(times: number[], errors: number): Latency {
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    mean: times.reduce((sum, t) => sum + t, 0) / times.length,
    samples: times.length,
    errors,
    times,
  };
}

/** Several measurements of the same thing (slices of one round) as one. */
export function combineLatencies(parts: Latency[]): Latency {
  return summarize(
    parts.flatMap((part) => part.times),
    parts.reduce((sum, part) => sum + part.errors, 0),
  );
}
