/**
 * The login storm: sign-ins saturating the CPU (every hash thread busy, more waiting) while other
 * clients make authenticated requests at a steady rate. What it shows is whether logins starve
 * everything else: the authenticated requests' latency, and the server's event-loop delay.
 */
import { cannon } from './load.js';
import { signInRequest, type Prepared } from './requests.js';
import { serverStats, waitIdle } from './servers.js';

export interface StormOptions {
  seconds: number;
  /** Concurrent sign-ins: more than the cores, so hashing saturates them. */
  signInConnections: number;
  /** Authenticated requests per second, well below what the server can answer when idle. */
  authRate: number;
  authConnections: number;
}

export interface StormMeasured {
  signInRps: number;
  authRps: number;
  authP50: number;
  authP99: number;
  loopP99Ms: number;
  errors: number;
}

export async function loginStorm(p: Prepared, options: StormOptions): Promise<StormMeasured> {
  await serverStats(p.server, true);
  const [signIns, auth] = await Promise.all([
    cannon(p.server, [signInRequest(p.kind, p.server, p.email)], {
      connections: options.signInConnections,
      seconds: options.seconds,
    }),
    cannon(p.server, [p.authRequest], {
      connections: options.authConnections,
      seconds: options.seconds,
      overallRate: options.authRate,
    }),
  ]);
  const { loopP99Ms } = await serverStats(p.server);
  await waitIdle(p.server);
  return {
    signInRps: signIns.rps,
    authRps: auth.rps,
    authP50: auth.p50,
    authP99: auth.p99,
    loopP99Ms,
    errors: signIns.errors + auth.errors,
  };
}
