// The account's sessions (with revoke, and "sign out everywhere else") and its login history (paged).

import * as api from '../api.js';
import { signOut } from '../session.js';
import { actingAccount, endActing } from '../support.js';
import type { LoginInfo, SessionInfo } from '../types.js';
import { $, announce, clearErrors, describeDevice, el, focusHeading, formatDate, onSubmit, run, showError, time } from '../ui.js';

export async function loadSessions(): Promise<void> {
  const section = $('#sessions');
  try {
    const { data } = await api.listSessions();
    $('#sessions-body').replaceChildren(...data.map(sessionRow));
    clearErrors(section);
    $('#sessions-form').hidden = !data.some((session) => !session.current);
  } catch (error) {
    showError(section, error);
  }
}

function sessionRow(session: SessionInfo): HTMLTableRowElement {
  const device = describeDevice(session.userAgent);
  const button = el(
    'button',
    { type: 'button', class: 'button small ' + (session.current ? 'secondary' : 'danger-outline'), 'aria-label': session.current ? 'Sign out of this session' : `Revoke the session of ${device}, last active ${formatDate(session.lastUsedAt ?? session.createdAt)}` },
    session.current ? 'Sign out' : 'Revoke',
  );
  button.addEventListener('click', () => {
    const section = $('#sessions');
    if (section.getAttribute('aria-busy') === 'true') return;
    void run(section, async () => {
      // While acting as the account, "this session" is the support session: ending it ends acting.
      if (session.current) return actingAccount() ? endActing() : signOut();
      await api.revokeSession(session.id);
      announce(`Signed out ${device}.`, 'success');
      await loadSessions();
      focusHeading($('#sessions-title'));
    });
  });
  return el(
    'tr',
    {},
    el('td', {}, el('span', { title: session.userAgent ?? '' }, device), session.current ? el('span', { class: 'badge', 'data-tone': 'ok' }, 'this device') : null),
    el('td', {}, session.ip ?? '—'),
    el('td', {}, time(session.createdAt, { compact: true })),
    el('td', {}, time(session.lastUsedAt, { compact: true })),
    el('td', { class: 'cell-action' }, button),
  );
}

let nextCursor: string | null = null;

/** The first page of the login history (or, with `more`, the next one, appended). */
export async function loadLogins(options: { more?: boolean } = {}): Promise<void> {
  const form = $<HTMLFormElement>('#logins-form');
  try {
    const page = await api.listLogins(options.more ? nextCursor : null);
    clearErrors(form);
    const rows = page.data.map(loginRow);
    if (options.more) $('#logins-body').append(...rows);
    else $('#logins-body').replaceChildren(...rows);
    nextCursor = page.nextCursor;
    $('#logins-more').hidden = nextCursor === null;
  } catch (error) {
    showError(form, error);
  }
}

const METHOD_NAMES: Record<string, string> = {
  password: 'Password',
  passkey: 'Passkey',
  refresh: 'Token refresh',
  unlock: 'Unlock',
  reset: 'Password reset',
};

function loginRow(login: LoginInfo): HTMLTableRowElement {
  const result = login.success
    ? el('span', { class: 'badge', 'data-tone': 'ok' }, 'success')
    : el('span', { class: 'badge', 'data-tone': 'bad' }, 'failed');
  return el(
    'tr',
    {},
    el('td', {}, time(login.time, { compact: true })),
    el('td', {}, result, login.failureReason ? el('span', { class: 'muted reason' }, ` ${login.failureReason.replaceAll('_', ' ')}`) : null),
    el('td', {}, METHOD_NAMES[login.method] ?? login.method),
    el('td', {}, login.ip ?? '—'),
    el('td', {}, el('span', { title: login.userAgent ?? '' }, describeDevice(login.userAgent))),
  );
}

export function initActivity(): void {
  const others = $<HTMLFormElement>('#sessions-form');
  onSubmit(others, async () => {
    await api.revokeOtherSessions();
    announce('Every other session is signed out.', 'success');
    await loadSessions();
  });

  const logins = $<HTMLFormElement>('#logins-form');
  onSubmit(logins, async () => {
    const before = $('#logins-body').children.length;
    await loadLogins({ more: true });
    // Keyboard users land on the first of the rows just added (or stay on the button).
    const first = $('#logins-body').children[before]?.querySelector<HTMLElement>('td');
    if (first) {
      first.setAttribute('tabindex', '-1');
      first.focus();
    }
  });
}
