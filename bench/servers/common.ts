/** Shared by the bench servers: SQLite file, peak RSS and event-loop delay reporting, shutdown on signal. */
import Database from 'better-sqlite3';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function openSqlite(file: string): Database.Database {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};
setInterval(sample, 100).unref();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

/** GET /__bench/stats: peak RSS and event-loop delay since the last reset (?reset=1). */
export function statsResponse(url: URL): Response {
  sample();
  const body = {
    peakRss,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
  };
  if (url.searchParams.get('reset') === '1') loop.reset();
  return Response.json(body);
}

export function onStop(stop: () => Promise<void> | void): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(0), 2000).unref();
      Promise.resolve(stop()).finally(() => process.exit(0));
    });
  }
  process.on('disconnect', () => process.exit(0));
}
