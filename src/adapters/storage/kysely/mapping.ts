import type {
  AccountRecord,
  GroupRecord,
  LoginAttemptRecord,
  OneTimeTokenRecord,
  OtpCodeRecord,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  WebAuthnChallengeRecord,
  WebAuthnCredentialRecord,
} from '../../../core/ports.js';

/**
 * How a record field is stored, chosen to round-trip exactly on every dialect whatever the app
 * configured on its connections:
 * - `time`: epoch milliseconds in a BIGINT (no time zone, no precision loss; pg hands int8 back as a
 *   string, mysql2 or better-sqlite3 may hand back a bigint: all are read with `Number`);
 * - `boolean`: 1 / 0 (better-sqlite3 binds no booleans; PostgreSQL casts `'1'` to its boolean column);
 * - `strings`: a JSON array in a text column;
 * - `json`: a JSON object in a text column (a group's settings; a null column reads as `{}`);
 * - `text` and `integer`: as they are.
 */
export type ColumnKind = 'text' | 'integer' | 'boolean' | 'time' | 'strings' | 'json';

/** Field → [column, kind] for every field of a record: a new field without a column fails to compile. */
export type ColumnMap<T> = { readonly [K in keyof T]-?: readonly [column: string, kind: ColumnKind] };

export type Row = Record<string, unknown>;

export const groupColumns: ColumnMap<GroupRecord> = {
  id: ['id', 'text'],
  name: ['name', 'text'],
  locked: ['locked', 'boolean'],
  ownerId: ['owner_id', 'text'],
  settings: ['settings', 'json'],
  createdAt: ['created_at', 'time'],
  updatedAt: ['updated_at', 'time'],
};

export const accountColumns: ColumnMap<AccountRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  email: ['email', 'text'],
  emailVerifiedAt: ['email_verified_at', 'time'],
  emailAddedAt: ['email_added_at', 'time'],
  firstName: ['first_name', 'text'],
  lastName: ['last_name', 'text'],
  passwordHash: ['password_hash', 'text'],
  roles: ['roles', 'strings'],
  allowSupportLogin: ['allow_support_login', 'boolean'],
  status: ['status', 'text'],
  statusChangedAt: ['status_changed_at', 'time'],
  statusReason: ['status_reason', 'text'],
  createdAt: ['created_at', 'time'],
  updatedAt: ['updated_at', 'time'],
  deletedAt: ['deleted_at', 'time'],
  lastLoginAt: ['last_login_at', 'time'],
  lastLoginDevice: ['last_login_device', 'text'],
  lastPasswordChangeAt: ['last_password_change_at', 'time'],
  phoneNumber: ['phone_number', 'text'],
  phoneVerifiedAt: ['phone_verified_at', 'time'],
  totpSecretSealed: ['totp_secret_sealed', 'text'],
  totpPendingSecretSealed: ['totp_pending_secret_sealed', 'text'],
  totpLastUsedStep: ['totp_last_used_step', 'integer'],
  totpEnabledAt: ['totp_enabled_at', 'time'],
  emailOtpEnabledAt: ['email_otp_enabled_at', 'time'],
  smsOtpEnabledAt: ['sms_otp_enabled_at', 'time'],
  recoveryCodesRemaining: ['recovery_codes_remaining', 'integer'],
};

export const sessionColumns: ColumnMap<SessionRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  accountId: ['account_id', 'text'],
  amr: ['amr', 'strings'],
  createdAt: ['created_at', 'time'],
  lastUsedAt: ['last_used_at', 'time'],
  expiresAt: ['expires_at', 'time'],
  revokedAt: ['revoked_at', 'time'],
  revokedReason: ['revoked_reason', 'text'],
  ip: ['ip', 'text'],
  userAgent: ['user_agent', 'text'],
};

export const refreshTokenColumns: ColumnMap<RefreshTokenRecord> = {
  hash: ['hash', 'text'],
  sessionId: ['session_id', 'text'],
  group: ['group_id', 'text'],
  accountId: ['account_id', 'text'],
  createdAt: ['created_at', 'time'],
  rotatedAt: ['rotated_at', 'time'],
};

/** `actor` is two columns (`actor_id`, `actor_ip`, migration 0009), mapped in `login-attempts.ts`. */
export const loginAttemptColumns: ColumnMap<Omit<LoginAttemptRecord, 'actor'>> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  accountId: ['account_id', 'text'],
  email: ['email', 'text'],
  time: ['attempted_at', 'time'],
  ip: ['ip', 'text'],
  userAgent: ['user_agent', 'text'],
  success: ['success', 'boolean'],
  method: ['method', 'text'],
  failureReason: ['failure_reason', 'text'],
};

export const signingKeyColumns: ColumnMap<SigningKeyRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  generation: ['generation', 'integer'],
  alg: ['alg', 'text'],
  publicJwk: ['public_jwk', 'text'],
  privateJwkSealed: ['private_jwk_sealed', 'text'],
  createdAt: ['created_at', 'time'],
};

export const oneTimeTokenColumns: ColumnMap<OneTimeTokenRecord> = {
  hash: ['hash', 'text'],
  purpose: ['purpose', 'text'],
  group: ['group_id', 'text'],
  accountId: ['account_id', 'text'],
  email: ['email', 'text'],
  createdAt: ['created_at', 'time'],
  expiresAt: ['expires_at', 'time'],
  consumedAt: ['consumed_at', 'time'],
};

export const otpCodeColumns: ColumnMap<OtpCodeRecord> = {
  group: ['group_id', 'text'],
  accountId: ['account_id', 'text'],
  channel: ['channel', 'text'],
  purpose: ['purpose', 'text'],
  codeHash: ['code_hash', 'text'],
  attempts: ['attempts', 'integer'],
  createdAt: ['created_at', 'time'],
  expiresAt: ['expires_at', 'time'],
  consumedAt: ['consumed_at', 'time'],
};

/**
 * The stored columns of a passkey but one: the primary key is `(group_id, id_hash)`, the SHA-256 of
 * the id, which the repository adds (see `webauthn-credentials.ts`).
 */
export const webauthnCredentialColumns: ColumnMap<WebAuthnCredentialRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  accountId: ['account_id', 'text'],
  publicKey: ['public_key', 'text'],
  counter: ['counter', 'integer'],
  transports: ['transports', 'strings'],
  deviceType: ['device_type', 'text'],
  backedUp: ['backed_up', 'boolean'],
  name: ['name', 'text'],
  createdAt: ['created_at', 'time'],
  lastUsedAt: ['last_used_at', 'time'],
};

export const webauthnChallengeColumns: ColumnMap<WebAuthnChallengeRecord> = {
  hash: ['hash', 'text'],
  purpose: ['purpose', 'text'],
  group: ['group_id', 'text'],
  accountId: ['account_id', 'text'],
  createdAt: ['created_at', 'time'],
  expiresAt: ['expires_at', 'time'],
  consumedAt: ['consumed_at', 'time'],
};

/** The columns to select for a record, in field order. */
export function columnNames<T>(columns: ColumnMap<T>): string[] {
  return Object.values<readonly [string, ColumnKind]>(columns).map(([column]) => column);
}

/**
 * `columns` read under an alias, `prefix` + column, as a join selects them when both tables have a
 * column of that name (`id`, `group_id`, `created_at`): {@link fromRow} with the result reads the
 * aliased row.
 */
export function aliasedColumns<T>(columns: ColumnMap<T>, prefix: string): ColumnMap<T> {
  const entries = Object.entries<readonly [string, ColumnKind]>(columns);
  return Object.fromEntries(entries.map(([field, [column, kind]]) => [field, [`${prefix}${column}`, kind] as const])) as ColumnMap<T>;
}

/**
 * The row for `record`, or for the fields a patch sets: fields that are absent or `undefined`, and those
 * listed in `fixed`, are left out.
 */
export function toRow<T>(columns: ColumnMap<T>, record: NoInfer<Partial<T>>, fixed: readonly NoInfer<keyof T>[] = []): Row {
  const row: Row = {};
  for (const [field, value] of Object.entries(record)) {
    const column = (columns as Record<string, readonly [string, ColumnKind]>)[field];
    if (value === undefined || column === undefined || fixed.includes(field as keyof T)) continue;
    row[column[0]] = encode(column[1], value);
  }
  return row;
}

/** The record stored in `row` (fresh objects: nothing returned is shared with anything stored). */
export function fromRow<T>(columns: ColumnMap<T>, row: Row): T {
  const record: Record<string, unknown> = {};
  for (const [field, column, kind] of fieldsOf(columns)) record[field] = decode(kind, row[column]);
  return record as T;
}

/** Each column map's fields as `[field, column, kind]`, listed once: rows are read on every request. */
const fieldLists = new WeakMap<object, (readonly [string, string, ColumnKind])[]>();

function fieldsOf(columns: object): (readonly [string, string, ColumnKind])[] {
  let fields = fieldLists.get(columns);
  if (!fields) {
    fields = Object.entries<readonly [string, ColumnKind]>(columns as Record<string, readonly [string, ColumnKind]>).map(
      ([field, [column, kind]]) => [field, column, kind] as const,
    );
    fieldLists.set(columns, fields);
  }
  return fields;
}

function encode(kind: ColumnKind, value: unknown): unknown {
  if (value === null) return null;
  switch (kind) {
    case 'time':
      return (value as Date).getTime();
    case 'boolean':
      return value ? 1 : 0;
    case 'strings':
    case 'json':
      return JSON.stringify(value);
    default:
      return value;
  }
}

function decode(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return kind === 'json' ? {} : null;
  switch (kind) {
    case 'time':
      return new Date(Number(value));
    case 'integer':
      return Number(value);
    case 'boolean':
      return value === true || Number(value) === 1;
    case 'strings':
      return JSON.parse(text(value)) as string[];
    case 'json':
      // PostgreSQL drivers may hand back a parsed object when a column is json-typed; ours is text.
      return typeof value === 'object' && !Buffer.isBuffer(value) ? value : (JSON.parse(text(value)) as object);
    default:
      return text(value);
  }
}

/** A text column's value; mysql2 returns a Buffer for text read with a binary character set. */
function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}
