/**
 * Several instances of one bench server behind the round-robin proxy (bench/servers/round-robin.ts), and
 * one measurement of a scenario through the proxy, counted on every instance.
 */
import { cannon, type LoadOptions, type Measured, type Req } from './load.js';
import { freePort, serverStats, startServer, stopServer, waitIdle, type Server } from './servers.js';

export interface Cluster {
  /** The proxy, under the cluster's name: what clients (requests.ts, autocannon) talk to. */
  proxy: Server;
  instances: Server[];
}

/**
 * Starts `count` instances of `script`, one after the other (the first creates the schema; Better Auth's
 * migrations take no lock, so two at once could both try), then the proxy in front of them. The proxy's
 * port is chosen first, so that each instance can be told its public URL (`args(port, publicUrl)`), as
 * an app behind a load balancer is.
 */
export async function startCluster(
  name: string,
  script: string,
  args: (port: number, publicUrl: string) => string[],
  count = 2,
): Promise<Cluster> {
  const proxyPort = await freePort();
  const publicUrl = `http://127.0.0.1:${proxyPort}`;
  const instances: Server[] = [];
  try {
    for (let i = 0; i < count; i++) instances.push(await startServer(`${name} #${i + 1}`, script, (port) => args(port, publicUrl)));
    const ports = instances.map((s) => new URL(s.base).port);
    // startServer offers a port of its own; the proxy listens on the one reserved above instead.
    const proxy = { ...(await startServer(name, 'round-robin.ts', () => [String(proxyPort), ...ports])), base: publicUrl };
    return { proxy, instances };
  } catch (error) {
    await Promise.all(instances.map(stopServer));
    throw error;
  }
}

export async function stopCluster(cluster: Cluster): Promise<void> {
  await Promise.all([cluster.proxy, ...cluster.instances].map(stopServer));
}

export interface ClusterMeasured extends Measured {
  /** The least busy instance's share of the 2xx answers: 0.5 is an even split over two. */
  minShare: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const readAll = (cluster: Cluster, reset = false) => Promise.all(cluster.instances.map((s) => serverStats(s, reset)));

/**
 * What `load` (load.ts) does for one server, through the proxy: autocannon against the proxy; throughput
 * counted by each instance between two readings inside the window (each on its own clock) and summed;
 * the worst instance's event-loop delay; then every instance's backlog drained.
 */
export async function loadCluster(cluster: Cluster, requests: Req[], options: LoadOptions): Promise<ClusterMeasured> {
  await readAll(cluster, true);
  const running = cannon(cluster.proxy, requests, options);
  const edge = Math.min(500, options.seconds * 150);
  await sleep(edge);
  const first = await readAll(cluster);
  await sleep(options.seconds * 1000 - 2 * edge);
  const last = await readAll(cluster);
  const measured = await running;
  const after = await readAll(cluster);
  await Promise.all(cluster.instances.map(waitIdle));
  const rates = last.map((l, i) => (l.answered2xx - first[i]!.answered2xx) / ((l.at - first[i]!.at) / 1000));
  const rps = rates.reduce((sum, r) => sum + r, 0);
  return {
    ...measured,
    rps,
    loopP99Ms: Math.max(...after.map((s) => s.loopP99Ms)),
    minShare: rps > 0 ? Math.min(...rates) / rps : NaN,
  };
}

/** Every instance's peak RSS so far. */
export async function clusterPeakRss(cluster: Cluster): Promise<{ name: string; bytes: number }[]> {
  return (await readAll(cluster)).map((s, i) => ({ name: cluster.instances[i]!.name, bytes: s.peakRss }));
}

/**
 * Two clusters measured in the order A B B A, each half of `options.seconds`, and each side's halves
 * combined: a drift in the machine's speed over the four weighs on both sides alike.
 */
export async function alternate(
  a: [Cluster, Req[]],
  b: [Cluster, Req[]],
  options: LoadOptions,
): Promise<[ClusterMeasured, ClusterMeasured]> {
  const half = { ...options, seconds: options.seconds / 2 };
  const halves: [ClusterMeasured[], ClusterMeasured[]] = [[], []];
  for (const side of [0, 1, 1, 0] as const) {
    const [cluster, requests] = side === 0 ? a : b;
    halves[side].push(await loadCluster(cluster, requests, half));
  }
  return [combine(halves[0]), combine(halves[1])];
}

/** Halves of equal length as one measurement: mean rates and shares, the worse latency and loop delay. */
function combine(ms: ClusterMeasured[]): ClusterMeasured {
  const mean = (f: (m: ClusterMeasured) => number) => ms.reduce((sum, m) => sum + f(m), 0) / ms.length;
  return {
    rps: mean((m) => m.rps),
    p50: mean((m) => m.p50),
    p99: Math.max(...ms.map((m) => m.p99)),
    errors: ms.reduce((sum, m) => sum + m.errors, 0),
    loopP99Ms: Math.max(...ms.map((m) => m.loopP99Ms)),
    minShare: mean((m) => m.minShare),
  };
}
