import type { AuthContext } from '../context.js';

/** What `auth.startWebhookDispatcher` returns. */
export interface WebhookDispatcherHandle {
  /** Stops polling and waits for the attempts in flight (call it on shutdown). */
  stop(): Promise<void>;
}

/** The `startWebhookDispatcher` operation of `Auth`: the one place its documentation lives. */
export const startWebhookDispatcherOperation = {
  /**
   * Starts delivering the outbox's webhooks from this process: every `webhooks.pollInterval` ms (and at
   * once when an event is appended here) it claims due deliveries under a lease, signs and sends them
   * through the `webhookSender`, and records each attempt, retrying on the schedule of docs/webhooks.md.
   * Call it once per process, after `createAuth`; calling it again is harmless. Several processes may
   * each run one on the same database: they share the outbox, and a delivery is held by one of them at a
   * time. Without a running dispatcher events still go to the outbox (and `GET /events`); they are sent
   * once one runs.
   *
   * @example
   * ```ts
   * const dispatcher = auth.startWebhookDispatcher()
   * process.on('SIGTERM', async () => {
   *   await dispatcher.stop()
   *   process.exit(0)
   * })
   * ```
   */
  startWebhookDispatcher,
};

/** See {@link startWebhookDispatcherOperation}. */
export function startWebhookDispatcher(ctx: AuthContext): WebhookDispatcherHandle {
  ctx.webhooks.start();
  return { stop: () => ctx.webhooks.stop() };
}
