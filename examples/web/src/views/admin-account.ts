// One account on the admin page: what it is (GET /auth/accounts/{id}), its name, email and roles
// (PATCH, a JSON merge patch), lock and unlock, a hard delete behind a confirm step, and the support
// session (admin-support.ts).

import * as admin from '../admin-api.js';
import type { AccountPatch } from '../admin-api.js';
import { ownAccount, setAccount } from '../session.js';
import type { Account } from '../types.js';
import { $, announce, el, field, focusHeading, onClick, onSubmit, showFormMessage, time } from '../ui.js';
import { initAdminSupport, renderSupport } from './admin-support.js';

let shown: Account | null = null;
/** Told after every change: the account as it is now, or null once it is deleted. */
let changed: (account: Account | null) => Promise<void> = async () => {};

export function displayName(account: Account): string {
  return [account.name.first, account.name.last].filter(Boolean).join(' ');
}

/** Badges for an account's state, its email's verification and its roles. */
export function accountBadges(account: Account): HTMLElement[] {
  const status = account.state.status;
  const tone = status === 'active' ? 'ok' : status === 'locked' ? 'bad' : 'warn';
  return [
    el('span', { class: 'badge', 'data-tone': tone }, status),
    el('span', { class: 'badge', 'data-tone': account.email.verified ? 'ok' : 'warn' }, account.email.verified ? 'verified' : 'not verified'),
    ...account.roles.map((role) => el('span', { class: 'badge' }, role)),
  ];
}

export function showAdminAccount(account: Account, options: { focus?: boolean } = {}): void {
  const other = shown?.id !== account.id;
  shown = account;
  const section = $('#admin-account');
  section.hidden = false;
  $('#admin-account-title').textContent = account.email.address;
  $('#admin-account-badges').replaceChildren(...accountBadges(account));
  const fact = (term: string, ...value: Array<Node | string>) => el('div', {}, el('dt', {}, term), el('dd', {}, ...value));
  const twoFactor = account.twoFactor.enabled ? `on (${account.twoFactor.methods.join(', ')})` : 'off';
  $('#admin-account-facts').replaceChildren(
    fact('Name', displayName(account) || '—'),
    fact('Account id', el('code', {}, account.id)),
    fact('Roles', account.roles.join(', ') || 'none'),
    fact('Created', time(account.events.createdAt)),
    fact('Last sign-in', time(account.events.lastLoginAt)),
    fact('Two-step verification', twoFactor),
    fact('Support sign-in', account.allowSupportLogin ? 'allowed' : 'not allowed'),
  );
  fillEditForm(account);

  const locked = account.state.status === 'locked';
  $('#admin-lock-text').replaceChildren(
    locked ?
      el('span', {}, `Locked${account.state.reason ? ` (${account.state.reason})` : ''} since `, time(account.state.changedAt), '. Unlocking keeps its password.')
    : 'Locking ends every session of the account at once; its password then answers “locked”, and neither a recovery code nor a password reset lifts the lock.',
  );
  $('#admin-lock').hidden = locked;
  $('#admin-unlock').hidden = !locked;
  $('#admin-delete-confirm-text').textContent = `Delete ${account.email.address} for good? This cannot be undone.`;
  if (other) closeDelete();
  renderSupport(account, { other });
  if (options.focus) focusHeading($('#admin-account-title'));
}

export function hideAdminAccount(): void {
  shown = null;
  $('#admin-account').hidden = true;
  closeDelete();
}

function fillEditForm(account: Account): void {
  $<HTMLInputElement>('#admin-edit-first').value = account.name.first ?? '';
  $<HTMLInputElement>('#admin-edit-last').value = account.name.last ?? '';
  $<HTMLInputElement>('#admin-edit-email').value = account.email.address;
  $<HTMLInputElement>('#admin-edit-roles').value = account.roles.join(', ');
}

/** Shows an account that a change returned, tells the page, and keeps the own account current. */
async function afterChange(account: Account | null, message: string): Promise<void> {
  if (account) {
    showAdminAccount(account);
    if (account.id === ownAccount()?.id) setAccount(account);
  }
  announce(message, 'success');
  await changed(account);
}

export function initAdminAccount(options: { changed: (account: Account | null) => Promise<void> }): void {
  changed = options.changed;
  const current = () => shown;

  const edit = $<HTMLFormElement>('#admin-edit-form');
  onSubmit(edit, async () => {
    const account = shown;
    if (!account) return;
    const email = field(edit, 'email');
    if (!email) return showFormMessage(edit, 'Enter an email address.');
    const roles = field(edit, 'roles').split(',').map((role) => role.trim()).filter(Boolean);
    const patch: AccountPatch = { name: { first: field(edit, 'first') || null, last: field(edit, 'last') || null } };
    if (email !== account.email.address) patch.email = email;
    if (roles.join() !== account.roles.join()) patch.roles = roles;
    const updated = await admin.updateAccount(account.id, patch);
    await afterChange(updated, `Saved ${updated.email.address}.`);
  });

  const lock = $<HTMLFormElement>('#admin-lock-form');
  onClick($('#admin-lock'), lock, async () => {
    const account = shown;
    if (!account) return;
    await afterChange(await admin.lockAccount(account.id), `Locked ${account.email.address}: every session of it ended.`);
    $('#admin-unlock').focus();
  });
  onClick($('#admin-unlock'), lock, async () => {
    const account = shown;
    if (!account) return;
    await afterChange(await admin.unlockAccount(account.id), `Unlocked ${account.email.address}.`);
    $('#admin-lock').focus();
  });

  initDelete();
  initAdminSupport(current);
}

function closeDelete(): void {
  $('#admin-delete-confirm').hidden = true;
  $('#admin-delete-start').setAttribute('aria-expanded', 'false');
}

function initDelete(): void {
  const form = $<HTMLFormElement>('#admin-delete-form');
  const start = $('#admin-delete-start');
  const confirm = $('#admin-delete-confirm');
  start.addEventListener('click', () => {
    confirm.hidden = false;
    start.setAttribute('aria-expanded', 'true');
    $('#admin-delete-confirm button[type=submit]').focus();
  });
  const cancel = () => {
    closeDelete();
    start.focus();
  };
  $('#admin-delete-cancel').addEventListener('click', cancel);
  confirm.addEventListener('keydown', (event) => event.key === 'Escape' && cancel());
  onSubmit(form, async () => {
    const account = shown;
    if (!account || confirm.hidden) return;
    await admin.deleteAccountById(account.id);
    hideAdminAccount();
    await afterChange(null, `Deleted ${account.email.address} for good.`);
    focusHeading($('#admin-search-title'));
  });
}
