import type { AuthContext } from '../../context.js';
import { newId } from '../../lib/ids.js';
import { webhookHeaders } from '../../lib/webhook-signature.js';
import type { ClaimedDelivery, WebhookAttemptOutcome, WebhookEndpointRecord, WebhookSender } from '../../ports.js';
import { deliveryBody } from './delivery-body.js';
import { nextAttemptDelay } from './retry-schedule.js';

/** How a dispatcher works through the outbox. */
export interface DispatcherOptions {
  /** How often it looks for due deliveries when nothing woke it (ms). */
  pollIntervalMs: number;
  /** How long a claimed delivery stays this dispatcher's (s): longer than one attempt's 15-second timeout. */
  leaseSeconds: number;
  /** Deliveries claimed at a time, and sent at once. */
  batch: number;
}

/**
 * Delivers the outbox's pending deliveries: claims due ones under a lease (so several dispatchers, in
 * one process or many, share the work without sending twice in the normal case), signs each with the
 * endpoint's secrets (two while a rotation overlaps), sends it, and records the attempt: delivered on a
 * 2xx, otherwise due again after the retry schedule (or `Retry-After`) until it fails for good; a 410
 * disables the endpoint. A delivery whose dispatcher died is claimed again when its lease runs out.
 */
export class WebhookDispatcher {
  readonly #owner: string;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #started = false;
  #again = false;

  constructor(
    private readonly ctx: () => AuthContext,
    private readonly sender: WebhookSender,
    private readonly options: DispatcherOptions,
  ) {
    this.#owner = newId('dsp', new Date());
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** Stops polling and waits for the attempts in flight. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** A new delivery may be due: look now rather than at the next poll (no effect when stopped). */
  wake(): void {
    if (!this.#started) return;
    if (this.#running) this.#again = true;
    else this.#schedule(0);
  }

  /** Claims and sends one batch; resolves with how many deliveries it claimed. */
  async runOnce(): Promise<number> {
    const ctx = this.ctx();
    const claimed = await ctx.storage.webhookDeliveries.claimDue(ctx.clock.now(), {
      owner: this.#owner,
      leaseSeconds: this.options.leaseSeconds,
      limit: this.options.batch,
    });
    await Promise.all(claimed.map((claim) => this.#deliver(ctx, claim)));
    return claimed.length;
  }

  #schedule(delayMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    if (!this.#started || this.#running) return;
    let claimed = 0;
    this.#running = (async () => {
      try {
        claimed = await this.runOnce();
      } catch (error) {
        this.ctx().logger.error('webhook dispatch failed', { error: error instanceof Error ? error.message : String(error) });
      }
    })();
    await this.#running;
    this.#running = null;
    if (!this.#started) return;
    const busy = claimed === this.options.batch || this.#again;
    this.#again = false;
    this.#schedule(busy ? 0 : this.options.pollIntervalMs);
  }

  async #deliver(ctx: AuthContext, { delivery, event }: ClaimedDelivery): Promise<void> {
    const endpoint = await ctx.storage.webhookEndpoints.find(delivery.group, delivery.endpointId);
    if (!endpoint) return; // removed meanwhile: its deliveries went with it
    const now = ctx.clock.now();
    const body = deliveryBody(event);
    const headers = webhookHeaders({ id: event.id, timestamp: Math.floor(now.getTime() / 1000), body, secrets: await secretsOf(ctx, endpoint, now) });
    const result = await this.sender.send({ url: endpoint.url, headers: { ...headers }, body });
    const attempts = delivery.attempts + 1;
    const delay = result.delivered || result.gone ? null : nextAttemptDelay(attempts, { retryAfterSeconds: result.retryAfterSeconds });
    const done = ctx.clock.now();
    const outcome: WebhookAttemptOutcome = {
      attempt: {
        id: newId('wha', done),
        group: delivery.group,
        deliveryId: delivery.id,
        attemptedAt: now,
        responseStatus: result.status,
        error: result.error,
        durationMs: result.durationMs,
        responseExcerpt: result.excerpt,
      },
      status: result.delivered ? 'delivered' : delay === null ? 'failed' : 'pending',
      nextAttemptAt: delay === null ? null : new Date(done.getTime() + delay),
    };
    if (!(await ctx.storage.webhookDeliveries.complete(delivery.group, delivery.id, this.#owner, outcome))) {
      ctx.logger.warn('webhook delivery lease lost before the attempt was recorded', { group: delivery.group, delivery: delivery.id });
    }
    if (result.gone) {
      await ctx.storage.webhookEndpoints.update(delivery.group, endpoint.id, { disabledAt: done, disabledReason: 'gone', updatedAt: done });
      ctx.logger.warn('webhook endpoint disabled: the receiver answered 410 Gone', { group: delivery.group, endpoint: endpoint.id });
    }
  }
}

/** The secrets that sign now: the current one, and the previous one while its rotation overlap lasts. */
async function secretsOf(ctx: AuthContext, endpoint: WebhookEndpointRecord, now: Date): Promise<string[]> {
  const secrets = [await ctx.accountSecrets.open(endpoint.secretSealed)];
  const { previousSecretSealed, previousSecretExpiresAt } = endpoint;
  if (previousSecretSealed && previousSecretExpiresAt && previousSecretExpiresAt > now) {
    secrets.push(await ctx.accountSecrets.open(previousSecretSealed));
  }
  return secrets;
}
