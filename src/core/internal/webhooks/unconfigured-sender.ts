import type { WebhookSender } from '../../ports.js';

const REASON = 'no webhook sender is configured (the `webhookSender` option)';

/** The sender of a core instance built without one: every endpoint is refused, every send fails. */
export const unconfiguredWebhookSender: WebhookSender = {
  check: () => ({ ok: false, reason: REASON }),
  send: async () => ({ delivered: false, status: null, error: REASON, durationMs: 0, retryAfterSeconds: null, gone: false, excerpt: null }),
};
