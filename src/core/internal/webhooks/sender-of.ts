import type { AuthContext } from '../../context.js';
import type { WebhookSender } from '../../ports.js';
import { unconfiguredWebhookSender } from './unconfigured-sender.js';

/**
 * The sender of this instance, as `createAuth` gave it to the dispatcher: the `webhookSender` option,
 * or the unconfigured one that refuses every URL. The admin operations ask it whether an endpoint URL
 * may be subscribed (`check`), so a URL is refused up front by the same rules that would refuse it at
 * each delivery.
 */
export function webhookSenderOf(ctx: AuthContext): WebhookSender {
  return ctx.options.webhookSender ?? unconfiguredWebhookSender;
}
