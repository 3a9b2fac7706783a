// Webhooks on the admin page (GET/POST /auth/webhooks …, api.md "Webhook endpoints and the event feed"):
// the group's endpoints, adding one (its signing secret shown once), rotating a secret, a test event,
// disabling, enabling and deleting, and one endpoint's deliveries with a retry for the failed ones.

import * as admin from '../admin-api.js';
import type { WebhookDelivery, WebhookEndpoint } from '../types.js';
import { $, announce, clearErrors, copyText, el, field, focusHeading, onClick, onSubmit, run, showError, time } from '../ui.js';

/** The endpoint whose deliveries are shown, and the next page of them. */
let selected: WebhookEndpoint | null = null;
let nextCursor: string | null = null;
/** Bumped by each watch of a delivery, so that only the latest one keeps reading. */
let watches = 0;
/** Told after every change (the audit log is read again). */
let changed: () => Promise<void> = async () => {};

/** Reads the endpoints again, and the shown endpoint's deliveries (hidden if it is gone). */
export async function loadWebhooks(): Promise<void> {
  try {
    const { data } = await admin.listWebhooks();
    clearErrors($('#admin-webhook-list-form'));
    $('#admin-webhook-list').replaceChildren(...(data.length > 0 ? data.map(endpointItem) : [el('li', { class: 'item muted' }, 'No endpoints yet.')]));
    selected = selected ? (data.find((endpoint) => endpoint.id === selected!.id) ?? null) : null;
    if (selected) await showDeliveries(selected);
    else hideDeliveries();
  } catch (error) {
    showError($('#admin-webhook-list-form'), error);
  }
}

function endpointItem(endpoint: WebhookEndpoint): HTMLLIElement {
  const urlId = `admin-webhook-${endpoint.id}`;
  const describedBy = { 'aria-describedby': urlId };
  const deliveries = el('button', { type: 'button', class: 'button secondary small', ...describedBy }, 'Deliveries');
  const test = el('button', { type: 'button', class: 'button secondary small', ...describedBy }, 'Send a test event');
  const rotate = el('button', { type: 'button', class: 'button secondary small', ...describedBy }, 'Rotate the secret');
  const toggle = el('button', { type: 'button', class: 'button secondary small', ...describedBy }, endpoint.disabledAt ? 'Enable' : 'Disable');
  const remove = el('button', { type: 'button', class: 'button danger-outline small', 'aria-expanded': 'false', ...describedBy }, 'Delete…');
  const confirmYes = el('button', { type: 'button', class: 'button danger small' }, 'Yes, delete it');
  const confirmNo = el('button', { type: 'button', class: 'button secondary small' }, 'Cancel');
  const confirm = el(
    'div',
    { class: 'confirm' },
    el('p', {}, 'Delete this endpoint? Nothing more is sent to it, not even what is pending, and its delivery log goes too.'),
    el('div', { class: 'button-row' }, confirmYes, confirmNo),
  );
  confirm.hidden = true;
  const item = el(
    'li',
    { class: 'item webhook', 'data-endpoint': endpoint.id },
    el(
      'div',
      { class: 'item-main' },
      el('strong', { id: urlId, class: 'url-text' }, endpoint.url),
      el('span', { class: 'muted' }, endpoint.events ? `Events: ${endpoint.events.join(', ')}` : 'Every event'),
      endpoint.description ? el('span', { class: 'muted' }, endpoint.description) : null,
      el('span', { class: 'badges' }, endpointBadge(endpoint)),
    ),
    el('div', { class: 'button-row' }, deliveries, test, rotate, toggle, remove),
    confirm,
  );

  onClick(deliveries, item, async () => {
    selected = endpoint;
    await showDeliveries(endpoint, { focus: true });
  });
  onClick(test, item, async () => {
    const delivery = await admin.sendTestWebhook(endpoint.id);
    announce(`Sent a test event to ${endpoint.url}${endpoint.disabledAt ? ': it waits until the endpoint is enabled' : ''}.`, 'success');
    selected = endpoint;
    await Promise.all([showDeliveries(endpoint), changed()]);
    void watchDelivery(delivery.id);
  });
  onClick(rotate, item, async () => {
    const { secret } = await admin.rotateWebhookSecret(endpoint.id);
    void changed();
    showSecret(
      secret,
      `New signing secret for ${endpoint.url}`,
      'Copy it now: it is shown only this once. The previous secret keeps signing too for 24 hours, so switch the receiver to this one within that time.',
    );
  });
  onClick(toggle, item, async () => {
    await admin.setWebhookDisabled(endpoint.id, !endpoint.disabledAt);
    announce(`${endpoint.disabledAt ? 'Enabled' : 'Disabled'} ${endpoint.url}.`, 'success');
    await Promise.all([loadWebhooks(), changed()]);
  });
  remove.addEventListener('click', () => {
    confirm.hidden = false;
    remove.setAttribute('aria-expanded', 'true');
    confirmNo.focus();
  });
  confirmNo.addEventListener('click', () => {
    confirm.hidden = true;
    remove.setAttribute('aria-expanded', 'false');
    remove.focus();
  });
  onClick(confirmYes, item, async () => {
    await admin.deleteWebhook(endpoint.id);
    announce(`Deleted the endpoint ${endpoint.url}.`, 'success');
    await Promise.all([loadWebhooks(), changed()]);
    focusHeading($('#admin-webhooks-title'));
  });
  return item;
}

function endpointBadge(endpoint: WebhookEndpoint): HTMLElement {
  if (!endpoint.disabledAt) return el('span', { class: 'badge', 'data-tone': 'ok' }, 'enabled');
  if (endpoint.disabledReason === 'gone') return el('span', { class: 'badge', 'data-tone': 'bad' }, 'disabled: the receiver answered 410 Gone');
  return el('span', { class: 'badge', 'data-tone': 'warn' }, 'disabled');
}

/** The endpoint's newest deliveries (or, with `more`, the next page, appended). */
async function showDeliveries(endpoint: WebhookEndpoint, options: { focus?: boolean; more?: boolean } = {}): Promise<void> {
  const page = await admin.listWebhookDeliveries(endpoint.id, options.more ? nextCursor : null);
  if (selected?.id !== endpoint.id) return; // another endpoint was picked meanwhile
  const items = page.data.map((delivery) => deliveryItem(endpoint, delivery));
  if (options.more) $('#admin-webhook-delivery-list').append(...items);
  else $('#admin-webhook-delivery-list').replaceChildren(...(items.length > 0 ? items : [el('li', { class: 'item muted' }, 'No deliveries yet.')]));
  nextCursor = page.nextCursor;
  $('#admin-webhook-deliveries-more').hidden = nextCursor === null;
  $('#admin-webhook-deliveries-url').textContent = endpoint.url;
  $('#admin-webhook-deliveries').hidden = false;
  if (options.focus) focusHeading($('#admin-webhook-deliveries-title'));
}

function hideDeliveries(): void {
  selected = null;
  $('#admin-webhook-deliveries').hidden = true;
  $('#admin-webhook-delivery-list').replaceChildren();
}

const STATUS_TONES: Record<WebhookDelivery['status'], string> = { delivered: 'ok', pending: 'warn', failed: 'bad' };

function deliveryItem(endpoint: WebhookEndpoint, delivery: WebhookDelivery): HTMLLIElement {
  const answer = delivery.lastResponseStatus === null ? 'no answer' : `answered ${delivery.lastResponseStatus}`;
  const item = el(
    'li',
    { class: 'item delivery', 'data-delivery': delivery.id, 'data-status': delivery.status, 'data-event': delivery.event },
    el(
      'div',
      { class: 'item-main' },
      el('span', {}, el('strong', {}, delivery.event), el('span', { class: 'badge', 'data-tone': STATUS_TONES[delivery.status] }, delivery.status)),
      el(
        'span',
        { class: 'muted' },
        `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`,
        delivery.attempts > 0 ? ` · ${answer} · last ` : null,
        delivery.attempts > 0 ? time(delivery.lastAttemptAt, { compact: true }) : null,
      ),
      delivery.lastError ? el('span', { class: 'reason delivery-error' }, `Last error: ${delivery.lastError}`) : null,
      delivery.nextAttemptAt ? el('span', { class: 'muted' }, 'Next attempt ', time(delivery.nextAttemptAt, { compact: true })) : null,
    ),
  );
  if (delivery.status === 'failed') {
    const retry = el('button', { type: 'button', class: 'button secondary small' }, 'Retry');
    item.append(retry);
    onClick(retry, item, async () => {
      await admin.retryWebhookDelivery(endpoint.id, delivery.id);
      announce(`Sending ${delivery.event} to ${endpoint.url} again.`, 'success');
      await Promise.all([showDeliveries(endpoint), changed()]);
      void watchDelivery(delivery.id);
    });
  }
  return item;
}

/**
 * Reads the deliveries again every second for a while, until `deliveryId` is no longer pending: a test
 * or a retry is sent within a moment by the server's dispatcher.
 */
async function watchDelivery(deliveryId: string): Promise<void> {
  const watch = ++watches;
  const endpointId = selected?.id;
  for (let round = 0; round < 10; round++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const endpoint = selected;
    if (watch !== watches || !endpoint || endpoint.id !== endpointId) return;
    const shown = document.querySelector<HTMLElement>(`[data-delivery="${CSS.escape(deliveryId)}"]`);
    if (shown && shown.dataset.status !== 'pending') return;
    await showDeliveries(endpoint).catch(() => undefined);
  }
}

/** Shows a secret that the server returns once, and moves focus to it. */
function showSecret(secret: string, title: string, note: string): void {
  $('#admin-webhook-secret-title').textContent = title;
  $('#admin-webhook-secret-note').textContent = note;
  $('#admin-webhook-secret').textContent = secret;
  $('#admin-webhook-secret-panel').hidden = false;
  focusHeading($('#admin-webhook-secret-title'));
}

function hideSecret(): void {
  $('#admin-webhook-secret').textContent = '';
  $('#admin-webhook-secret-panel').hidden = true;
}

export function initAdminWebhooks(options: { changed: () => Promise<void> }): void {
  changed = options.changed;
  const form = $<HTMLFormElement>('#admin-webhook-form');
  onSubmit(form, async () => {
    const events = field(form, 'events')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const description = field(form, 'description');
    const created = await admin.createWebhook({
      url: field(form, 'url'),
      ...(events.length > 0 ? { events } : {}),
      ...(description ? { description } : {}),
    });
    form.reset();
    await Promise.all([loadWebhooks(), changed()]);
    showSecret(
      created.secret,
      `Signing secret for ${created.url}`,
      'Copy it now: it is shown only this once and cannot be read again (rotating it makes a new one). The receiver checks each request’s webhook-signature header with it.',
    );
  });

  $('#admin-webhook-secret-copy').addEventListener('click', async () => {
    const copied = await copyText($('#admin-webhook-secret').textContent ?? '');
    announce(copied ? 'The secret is on your clipboard.' : 'The browser did not allow copying: select the secret and copy it.', 'info');
  });
  $('#admin-webhook-secret-done').addEventListener('click', () => {
    hideSecret();
    focusHeading($('#admin-webhooks-title'));
  });

  const listForm = $<HTMLFormElement>('#admin-webhook-list-form');
  onSubmit(listForm, () => loadWebhooks());

  const deliveriesForm = $<HTMLFormElement>('#admin-webhook-deliveries-form');
  onSubmit(deliveriesForm, async () => {
    if (selected) await showDeliveries(selected, { more: true });
  });
  onClick($('#admin-webhook-deliveries-refresh'), deliveriesForm, async () => {
    if (selected) await showDeliveries(selected);
  });
  $('#admin-webhook-deliveries-close').addEventListener('click', () => {
    hideDeliveries();
    focusHeading($('#admin-webhooks-title'));
  });
}
