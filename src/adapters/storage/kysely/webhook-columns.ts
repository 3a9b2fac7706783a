import type {
  OutboxEventRecord,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from '../../../core/ports.js';
import type { ColumnMap } from './mapping.js';

/** How the outbox's and the webhooks' records are stored (migration 0012); see `mapping.ts` for the kinds. */
export const outboxEventColumns: ColumnMap<OutboxEventRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  sequence: ['sequence', 'integer'],
  event: ['event', 'text'],
  occurredAt: ['occurred_at', 'time'],
  payload: ['payload', 'text'],
};

export const endpointColumns: ColumnMap<WebhookEndpointRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  url: ['url', 'text'],
  events: ['events', 'strings'],
  description: ['description', 'text'],
  secretSealed: ['secret_sealed', 'text'],
  previousSecretSealed: ['previous_secret_sealed', 'text'],
  previousSecretExpiresAt: ['previous_secret_expires_at', 'time'],
  createdAt: ['created_at', 'time'],
  updatedAt: ['updated_at', 'time'],
  disabledAt: ['disabled_at', 'time'],
  disabledReason: ['disabled_reason', 'text'],
};

/** The lease (`lease_owner`, `lease_expires_at`) is not part of the record: only the repository reads it. */
export const deliveryColumns: ColumnMap<WebhookDeliveryRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  endpointId: ['endpoint_id', 'text'],
  eventId: ['event_id', 'text'],
  event: ['event', 'text'],
  status: ['status', 'text'],
  attempts: ['attempts', 'integer'],
  nextAttemptAt: ['next_attempt_at', 'time'],
  lastAttemptAt: ['last_attempt_at', 'time'],
  lastResponseStatus: ['last_response_status', 'integer'],
  lastError: ['last_error', 'text'],
  createdAt: ['created_at', 'time'],
};

export const attemptColumns: ColumnMap<WebhookAttemptRecord> = {
  id: ['id', 'text'],
  group: ['group_id', 'text'],
  deliveryId: ['delivery_id', 'text'],
  attemptedAt: ['attempted_at', 'time'],
  responseStatus: ['response_status', 'integer'],
  error: ['error', 'text'],
  durationMs: ['duration_ms', 'integer'],
  responseExcerpt: ['response_excerpt', 'text'],
};
