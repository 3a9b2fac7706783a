import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One row of an import file: the API row to send, or why the file's text could not become one. */
export type FileRow = { line: number; row: Record<string, unknown> } | { line: number; email: string | null; error: string };

const CSV_COLUMNS = new Set(['email', 'first', 'last', 'roles', 'passwordhash']);

/**
 * Reads a CSV file (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) as import
 * rows, one record at a time. The header names the columns: `email` (required), `first`, `last`,
 * `roles` (separated by `;`) and `passwordHash`, in any order. Blank lines are skipped; `line` is where
 * a record starts.
 *
 * @throws Error for a header without `email` or with an unknown column, or an unterminated quote
 * @example
 * ```ts
 * for await (const item of readCsvRows('accounts.csv')) console.log(item.line, item)
 * ```
 */
export async function* readCsvRows(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<FileRow> {
  let header: string[] | null = null;
  for await (const { line, fields } of csvRecords(path, onBytes)) {
    if (fields.length === 1 && fields[0] === '') continue;
    if (header === null) {
      header = fields.map((f) => f.trim().toLowerCase());
      const unknown = header.find((name) => !CSV_COLUMNS.has(name));
      if (unknown !== undefined) throw new Error(`unknown CSV column "${unknown}" (use email, first, last, roles, passwordHash)`);
      if (!header.includes('email')) throw new Error('the CSV header has no "email" column');
      continue;
    }
    const value = (name: string) => fields[header!.indexOf(name)]?.trim() ?? '';
    if (fields.length !== header.length) {
      yield { line, email: value('email') || null, error: `the record has ${fields.length} fields, the header ${header.length}` };
      continue;
    }
    const row: Record<string, unknown> = { email: value('email') };
    const [first, last] = [value('first'), value('last')];
    if (first || last) row.name = { ...(first ? { first } : {}), ...(last ? { last } : {}) };
    const roles = value('roles').split(';').map((r) => r.trim()).filter(Boolean);
    if (roles.length > 0) row.roles = roles;
    if (value('passwordhash')) row.passwordHash = value('passwordhash');
    yield { line, row };
  }
}

/** The records of a CSV file, parsed as the text streams in (never the whole file in memory). */
async function* csvRecords(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<{ line: number; fields: string[] }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let start = 1;
  let pendingCr = false;
  const stream = createReadStream(path, { encoding: 'utf8' });
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    onBytes?.(Buffer.byteLength(chunk));
    const text = first ? chunk.replace(/^\uFEFF/, '') : chunk;
    first = false;
    const records: Array<{ line: number; fields: string[] }> = [];
    for (const char of text) {
      if (pendingCr) {
        pendingCr = false;
        if (char === '\n') continue;
      }
      if (quoted) {
        if (char === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (char === '\n') line++;
          field += char;
        }
        continue;
      }
      if (char === '"') {
        if (afterQuote) {
          field += '"'; // a doubled quote inside a quoted field: still inside it
          quoted = true;
        }
        else if (field === '') quoted = true;
        else field += char; // a stray quote in an unquoted field is kept as text
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (char === ',') {
        fields.push(field);
        field = '';
      } else if (char === '\n' || char === '\r') {
        fields.push(field);
        records.push({ line: start, fields });
        fields = [];
        field = '';
        line++;
        start = line;
        pendingCr = char === '\r';
      } else {
        field += char;
      }
    }
    yield* records;
  }
  if (quoted) throw new Error(`a quoted field that starts on line ${start} is never closed`);
  if (field !== '' || fields.length > 0) yield { line: start, fields: [...fields, field] };
}

/**
 * Reads a JSON Lines file: one row object per line, in the API's shape (`{ email, name?, roles?,
 * passwordHash? }`). Blank lines are skipped; a line that is not a JSON object is a failed row.
 *
 * @example
 * ```ts
 * for await (const item of readJsonlRows('accounts.jsonl')) console.log(item.line, item)
 * ```
 */
export async function* readJsonlRows(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<FileRow> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  stream.on('data', (chunk) => onBytes?.(Buffer.byteLength(chunk)));
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, email: null, error: 'the line is not valid JSON' };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line, email: null, error: 'the line is not a JSON object' };
      continue;
    }
    yield { line, row: value as Record<string, unknown> };
  }
}
