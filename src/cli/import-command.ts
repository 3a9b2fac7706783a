import { stat } from 'node:fs/promises';
import { type FileRow, readCsvRows, readJsonlRows } from './import-rows.js';

/** Rows per request: what `POST /accounts/import` takes at most. */
const BATCH = 1000;
/** Tries per batch after a network error or a 502/503/504, and after a 429. */
const NETWORK_TRIES = 4;
const RATE_LIMITED_TRIES = 10;

/** What `latchkey import` was given, checked. */
export interface ImportCommandArgs {
  /** The auth mount's base URL (`http://localhost:3000/auth`). */
  url: string;
  /** The group, for a multi-group mount (`/auth/{group}/…`). */
  group: string | undefined;
  file: string;
  format: 'csv' | 'jsonl';
  /** An admin's access token (from `LATCHKEY_TOKEN`, never the command line). */
  token: string;
  /** Milliseconds of the first wait after a network error (doubling after each); default 1000. */
  retryDelayMs?: number;
}

/** Where the command writes: failed rows to `stdout`, progress and the summary to `stderr`. */
export interface ImportCommandIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Set when stderr is a terminal: progress is redrawn in place there (`\r`). */
  progress?: ((text: string) => void) | undefined;
}

interface Counts {
  attempted: number;
  ok: number;
  failed: number;
}

interface ImportAnswer {
  attempted: number;
  ok: number;
  failed: Array<{ index: number; email: string | null; error: { code: string; message: string } }>;
}

/**
 * Runs `latchkey import`: streams the file, sends its rows 1000 at a time to `POST /accounts/import`,
 * retries a batch on 429 (after `Retry-After`) and on network errors, prints each failed row to stdout
 * as a JSON line `{ line, email, code, message }`, and ends with a summary on stderr.
 *
 * @returns 0 when every row was imported, 1 when a row failed or the run stopped early
 */
export async function importCommand(args: ImportCommandArgs, io: ImportCommandIo): Promise<number> {
  const endpoint = `${args.url.replace(/\/+$/, '')}${args.group ? `/${encodeURIComponent(args.group)}` : ''}/accounts/import`;
  const total = (await stat(args.file)).size;
  let read = 0;
  const counts: Counts = { attempted: 0, ok: 0, failed: 0 };
  const show = () => progress(io, counts, total === 0 ? 1 : Math.min(1, read / total));
  const rows = (args.format === 'csv' ? readCsvRows : readJsonlRows)(args.file, (bytes) => (read += bytes));
  const fail = (line: number, email: string | null, code: string, message: string) => {
    counts.failed++;
    io.stdout(JSON.stringify({ line, email, code, message }));
  };

  let batch: Array<{ line: number; row: Record<string, unknown> }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const answer = await send(endpoint, args, batch.map((b) => b.row));
    counts.attempted += answer.attempted;
    counts.ok += answer.ok;
    for (const f of answer.failed) fail(batch[f.index]!.line, f.email, f.error.code, f.error.message);
    batch = [];
    show();
  };

  try {
    for await (const item of rows) {
      if ('error' in item) {
        counts.attempted++;
        fail(item.line, item.email, 'validation_failed', `The row is not valid: ${item.error}.`);
        continue;
      }
      batch.push(item);
      if (batch.length === BATCH) await flush();
    }
    await flush();
  } catch (error) {
    finishProgress(io);
    io.stderr(`latchkey import: stopped: ${error instanceof Error ? error.message : String(error)}`);
    io.stderr(summary(counts) + ' (the rows after these were not sent)');
    return 1;
  }
  finishProgress(io);
  io.stderr(summary(counts));
  return counts.failed === 0 ? 0 : 1;
}

const summary = (c: Counts) => `Imported: attempted ${c.attempted}, ok ${c.ok}, failed ${c.failed}`;

/** One batch, with its retries. */
async function send(endpoint: string, args: ImportCommandArgs, rows: Array<Record<string, unknown>>): Promise<ImportAnswer> {
  const delay = args.retryDelayMs ?? 1000;
  let networkTries = 0;
  let limitedTries = 0;
  for (;;) {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${args.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(rows),
      });
    } catch (error) {
      if (++networkTries >= NETWORK_TRIES) throw new Error(`the server could not be reached (${describe(error)})`);
      await sleep(delay * 2 ** (networkTries - 1));
      continue;
    }
    if (response.status === 200) return (await response.json()) as ImportAnswer;
    const text = await response.text();
    if (response.status === 429 && ++limitedTries < RATE_LIMITED_TRIES) {
      const seconds = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : delay);
      continue;
    }
    if ([502, 503, 504].includes(response.status) && ++networkTries < NETWORK_TRIES) {
      await sleep(delay * 2 ** (networkTries - 1));
      continue;
    }
    throw new Error(`the server answered ${response.status}: ${errorText(text)}`);
  }
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (parsed.error?.code) return `${parsed.error.code}: ${parsed.error.message ?? ''}`.trim();
  } catch {
    // not JSON: the body as it is, shortened
  }
  return body.slice(0, 200);
}

const describe = (error: unknown) =>
  error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A bar redrawn in place on a terminal; elsewhere, one plain line per batch. */
function progress(io: ImportCommandIo, c: Counts, done: number): void {
  const percent = Math.floor(done * 100);
  const text = `${c.attempted} rows, ${c.ok} imported, ${c.failed} failed`;
  if (!io.progress) return io.stderr(`progress: ${percent}% ${text}`);
  const width = 30;
  const filled = Math.round(done * width);
  io.progress(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(percent).padStart(3)}% ${text}`);
}

function finishProgress(io: ImportCommandIo): void {
  io.progress?.('\n');
}
