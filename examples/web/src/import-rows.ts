// Reads the rows an admin pastes (or picks as a file) for POST /auth/accounts/import: a JSON array as it
// is, or CSV with the columns email, first, last, roles (a header line naming them is optional; quoted
// fields as in RFC 4180; several roles separated by `;`). Rows are sent as read: the server checks
// them, and answers for each one that fails.

import type { ImportRow } from './types.js';

/** The most rows the server takes in one call. */
export const MAX_IMPORT_ROWS = 1000;

/** Input that cannot be read as rows: `message` says where and why. */
export class RowsError extends Error {
  override readonly name = 'RowsError';
}

const COLUMNS = ['email', 'first', 'last', 'roles'] as const;
type Column = (typeof COLUMNS)[number];

const HEADER_NAMES: Readonly<Record<string, Column>> = {
  email: 'email',
  first: 'first',
  firstname: 'first',
  last: 'last',
  lastname: 'last',
  roles: 'roles',
  role: 'roles',
};

/** @throws RowsError when the text is neither a JSON array nor CSV, has no rows, or too many */
export function parseImportRows(text: string): ImportRow[] {
  const trimmed = text.trim();
  if (!trimmed) throw new RowsError('Paste some rows, or pick a file.');
  const rows = trimmed.startsWith('[') || trimmed.startsWith('{') ? fromJson(trimmed) : fromCsv(trimmed);
  if (rows.length === 0) throw new RowsError('There are no rows to import.');
  if (rows.length > MAX_IMPORT_ROWS) throw new RowsError(`That is ${rows.length} rows: import at most ${MAX_IMPORT_ROWS} at a time.`);
  return rows;
}

function fromJson(text: string): ImportRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RowsError(`This is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new RowsError('The JSON must be an array of rows: [{ "email": … }, …].');
  return value as ImportRow[];
}

function fromCsv(text: string): ImportRow[] {
  const records = csvRecords(text).filter((cells) => cells.some((cell) => cell.trim() !== ''));
  const first = records[0]?.map((cell) => cell.trim().toLowerCase().replace(/[\s_-]/g, '')) ?? [];
  const header = first.includes('email') ? first.map((name) => HEADER_NAMES[name] ?? null) : null;
  const columns: Array<Column | null> = header ?? [...COLUMNS];
  return (header ? records.slice(1) : records).map((cells) => {
    const value = (column: Column) => {
      const index = columns.indexOf(column);
      return index < 0 ? '' : (cells[index] ?? '').trim();
    };
    const row: ImportRow = { email: value('email') };
    const [firstName, lastName] = [value('first'), value('last')];
    if (firstName || lastName) row.name = { first: firstName || null, last: lastName || null };
    const roles = value('roles').split(/[;|]/).map((role) => role.trim()).filter(Boolean);
    if (roles.length > 0) row.roles = roles;
    return row;
  });
}

/** The records of CSV text: commas between fields, `"…"` around fields with commas, quotes or newlines. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += char;
  }
  if (quoted) throw new RowsError(`Line ${records.length + 1}: a quoted field is not closed.`);
  record.push(cell);
  records.push(record);
  return records;
}
