// The audit log on the admin page (GET /auth/audit): every admin action in the group, newest first,
// a page at a time.

import * as admin from '../admin-api.js';
import { ownAccount } from '../session.js';
import type { AuditEntry } from '../types.js';
import { $, clearErrors, el, onClick, onSubmit, showError, time } from '../ui.js';

let nextCursor: string | null = null;

/** The newest entries (or, with `more`, the next page, appended). */
export async function loadAudit(options: { more?: boolean } = {}): Promise<void> {
  const form = $<HTMLFormElement>('#admin-audit-form');
  try {
    const page = await admin.listAudit(options.more ? nextCursor : null);
    clearErrors(form);
    const rows = page.data.map(auditRow);
    if (options.more) $('#admin-audit-body').append(...rows);
    else $('#admin-audit-body').replaceChildren(...(rows.length > 0 ? rows : [emptyRow()]));
    nextCursor = page.nextCursor;
    $('#admin-audit-more').hidden = nextCursor === null;
  } catch (error) {
    showError(form, error);
  }
}

const ACTIONS: Record<string, string> = {
  'account.lock': 'Locked',
  'account.unlock': 'Unlocked',
  'account.delete': 'Deleted',
  'account.update': 'Changed',
  'account.import': 'Imported',
  'role.grant': 'Role granted',
  'role.revoke': 'Role revoked',
  'support-session.start': 'Support session',
  'webhook.create': 'Webhook added',
  'webhook.update': 'Webhook changed',
  'webhook.delete': 'Webhook deleted',
  'webhook.rotate-secret': 'Webhook secret rotated',
  'webhook.test': 'Webhook test sent',
  'webhook.retry': 'Webhook delivery retried',
};

function auditRow(entry: AuditEntry): HTMLTableRowElement {
  const me = ownAccount()?.id;
  const actor = entry.actor.id === null ? 'the app or the command line' : entry.actor.id === me ? 'you' : entry.actor.id;
  return el(
    'tr',
    { 'data-action': entry.action },
    el('td', {}, time(entry.time, { compact: true })),
    el('td', {}, ACTIONS[entry.action] ?? entry.action, el('span', { class: 'muted reason' }, ` ${entry.action}`)),
    el('td', {}, actor.startsWith('acc_') ? el('code', {}, actor) : actor, entry.actor.ip ? el('span', { class: 'muted reason' }, ` from ${entry.actor.ip}`) : null),
    el('td', {}, entry.target ? el('code', {}, entry.target.id) : '—'),
    el('td', {}, describeDetails(entry.details)),
  );
}

/** `{ sessionsRevoked: 2 }` as "sessionsRevoked: 2". */
function describeDetails(details: AuditEntry['details']): string {
  if (!details || Object.keys(details).length === 0) return '—';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

function emptyRow(): HTMLTableRowElement {
  return el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'Nothing yet.'));
}

export function initAdminAudit(): void {
  const form = $<HTMLFormElement>('#admin-audit-form');
  onSubmit(form, () => loadAudit({ more: true }));
  onClick($('#admin-audit-refresh'), form, () => loadAudit());
}
