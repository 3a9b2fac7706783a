// The shapes of latchkey's HTTP API that the demo reads (see docs/http-api.md).

export interface Account {
  id: string;
  group: string;
  name: { first: string | null; last: string | null };
  email: { address: string; verified: boolean; verifiedAt: string | null; addedAt: string };
  phone: { number: string | null; verified: boolean; verifiedAt: string | null };
  twoFactor: { enabled: boolean; methods: string[]; recoveryCodesRemaining: number };
  roles: string[];
  allowSupportLogin: boolean;
  state: { status: 'active' | 'locked' | 'deleted'; changedAt: string; reason: string | null };
  events: {
    createdAt: string;
    updatedAt: string;
    deletedAt: string | null;
    lastLoginAt: string | null;
    lastPasswordChangeAt: string | null;
  };
  lastLoginDevice: string | null;
}

export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds the access token lives. */
  expiresIn: number;
  account: Account;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface LoginInfo {
  id: string;
  time: string;
  ip: string | null;
  userAgent: string | null;
  success: boolean;
  method: string;
  failureReason: string | null;
}

export interface Passkey {
  id: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrCodeSvg: string;
}

export interface RecoveryCodes {
  recoveryCodes: string[];
}

/** What `GET /api/me`, the demo app's own protected route, answers. */
export interface Me {
  message: string;
  accountId: string;
  email: string;
}

// --- administration (the admin role) ---

/** `POST /auth/accounts/{id}/support-session`: a token response without a refresh token. */
export interface SupportSession {
  accessToken: string;
  refreshToken: null;
  tokenType: 'Bearer';
  /** Seconds the one access token lives (15 minutes). */
  expiresIn: number;
  account: Account;
  /** RFC 8693: who acts (the admin), as the access token's `act` claim says too. */
  act?: { sub: string };
}

/** One row of `POST /auth/accounts/import`. */
export interface ImportRow {
  email: string;
  name?: { first: string | null; last: string | null };
  roles?: string[];
}

export interface ImportResult {
  attempted: number;
  ok: number;
  /** `index` is the row's position in the array sent (from 0). */
  failed: Array<{ index: number; email: string; error: string | { code?: string; message?: string } }>;
  success: Account[];
}

/** An entry of `GET /auth/audit`. */
export interface AuditEntry {
  id: string;
  time: string;
  actor: { id: string | null; ip: string | null };
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown> | null;
}

/** A webhook endpoint of `GET /auth/webhooks`: never its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** The event names it receives; null for every event. */
  events: string[] | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  /** `admin` or `gone` (the receiver answered 410); null while enabled. */
  disabledReason: string | null;
}

/** `POST /auth/webhooks`'s answer: the endpoint and, this once, its signing secret. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  secret: string;
}

/** One event's delivery to an endpoint, from `GET /auth/webhooks/{id}/deliveries`. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
}
