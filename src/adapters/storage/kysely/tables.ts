/** What both {@link kyselyStorage} and `migrate` accept. */
export interface KyselyStorageOptions {
  /**
   * Prepended to every table, index and constraint latchkey creates, and to its migration tables, so
   * that latchkey's tables sit beside the app's own without clashing. Default `latchkey_`.
   */
  tablePrefix?: string;
}

/** The prefix used when none is given. */
export const DEFAULT_TABLE_PREFIX = 'latchkey_';

/** The names of latchkey's tables for one prefix. */
export interface TableNames {
  prefix: string;
  groups: string;
  accounts: string;
  sessions: string;
  refreshTokens: string;
  loginAttempts: string;
  auditLog: string;
  signingKeys: string;
  oneTimeTokens: string;
  recoveryCodes: string;
  otpCodes: string;
  webauthnCredentials: string;
  webauthnChallenges: string;
  outboxEvents: string;
  /** Each group's last outbox sequence number (migration 0012). */
  outboxSequences: string;
  webhookEndpoints: string;
  webhookDeliveries: string;
  webhookAttempts: string;
  /** The background jobs' leases (migration 0013). */
  jobLeases: string;
  /** Kysely's `Migrator` bookkeeping. */
  migrations: string;
  migrationLock: string;
}

/** Letters, digits and underscores only: the prefix ends up unquoted in index and constraint names. */
const PREFIX_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$|^$/;

/**
 * Resolves the table names of `options`.
 *
 * @throws Error when the prefix holds anything but letters, digits and underscores
 */
export function tableNames(options: KyselyStorageOptions = {}): TableNames {
  const prefix = options.tablePrefix ?? DEFAULT_TABLE_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`latchkey/kysely: tablePrefix must be letters, digits and underscores, got ${JSON.stringify(prefix)}.`);
  }
  return {
    prefix,
    groups: `${prefix}groups`,
    accounts: `${prefix}accounts`,
    sessions: `${prefix}sessions`,
    refreshTokens: `${prefix}refresh_tokens`,
    loginAttempts: `${prefix}login_attempts`,
    auditLog: `${prefix}audit_log`,
    signingKeys: `${prefix}signing_keys`,
    oneTimeTokens: `${prefix}one_time_tokens`,
    recoveryCodes: `${prefix}recovery_codes`,
    otpCodes: `${prefix}otp_codes`,
    webauthnCredentials: `${prefix}webauthn_credentials`,
    webauthnChallenges: `${prefix}webauthn_challenges`,
    outboxEvents: `${prefix}outbox_events`,
    outboxSequences: `${prefix}outbox_sequences`,
    webhookEndpoints: `${prefix}webhook_endpoints`,
    webhookDeliveries: `${prefix}webhook_deliveries`,
    webhookAttempts: `${prefix}webhook_attempts`,
    jobLeases: `${prefix}job_leases`,
    migrations: `${prefix}migrations`,
    migrationLock: `${prefix}migrations_lock`,
  };
}
