/** The bench servers as child processes on 127.0.0.1, each with its own stats route; all stopped on exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { benchDir, root } from './paths.js';

export interface Server {
  name: string;
  child: ChildProcess;
  base: string;
}

export interface ServerStats {
  peakRss: number;
  inFlight: number;
  /** 2xx answers since the server started, and the server's clock (ms) when it counted them. */
  answered2xx: number;
  at: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

const children = new Set<ChildProcess>();
function stopAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `bench/servers/<script>` with `node --import tsx` and waits for it to print `ready`.
 * `nodeArgs` go before the script (`--cpu-prof` for a profile).
 */
export async function startServer(
  name: string,
  script: string,
  args: (port: number) => string[],
  nodeArgs: string[] = [],
): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(benchDir, 'servers', script), ...args(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  children.add(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { name, child, base: `http://127.0.0.1:${port}` };
}

/** SIGTERM, then SIGKILL after 5 s (a server writing a CPU profile needs a moment). */
export async function stopServer(server: Server): Promise<void> {
  const { child } = server;
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** The server's peak RSS so far, and its event-loop delay since the last reset. */
export async function serverStats(server: Server, reset = false): Promise<ServerStats> {
  const res = await fetch(`${server.base}/__bench/stats${reset ? '?reset=1' : ''}`);
  return (await res.json()) as ServerStats;
}

/** Waits until the server has answered every request it took (at most 10 s). */
export async function waitIdle(server: Server): Promise<void> {
  const until = performance.now() + 10_000;
  while ((await serverStats(server)).inFlight > 0 && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
  }
}
