// The account page: what it shows of the account, the profile, the password, the panic lock and
// deletion. The other sections live in their own modules and are loaded from here.

import * as api from '../api.js';
import { currentGroup, mePath } from '../group.js';
import { currentAccount, endLocally, setAccount } from '../session.js';
import type { Account } from '../types.js';
import { $, announce, checked, clearErrors, describeDevice, el, field, onClick, onSubmit, showError, showFormMessage, time } from '../ui.js';
import { loadLogins, loadSessions } from './activity.js';
import { loadPasskeys } from './passkeys.js';
import { requireProof } from './proof.js';
import { renderTwoFactorSection } from './two-factor-settings.js';

/** Loads everything the account page shows; each section shows its own failure. */
export async function loadAccountPage(): Promise<void> {
  const account = currentAccount();
  if (account) renderAccount(account);
  await Promise.all([
    api.getAccount().then(
      (account) => {
        clearErrors($('#profile-form'));
        setAccount(account);
      },
      (error) => showError($('#profile-form'), error),
    ),
    api.getMe().then(
      (me) => ($('#me-message').textContent = `GET ${mePath()}, the demo's own protected route, says: “${me.message}”`),
      () => ($('#me-message').textContent = ''),
    ),
    loadSessions(),
    loadLogins(),
    loadPasskeys(),
  ]);
}

/** Shows what depends on the account; called whenever the session's account changes. */
export function renderAccount(account: Account): void {
  $('#account-title').textContent = account.name.first ? `${account.name.first}’s account` : 'Your account';
  $('#account-email').textContent = account.email.address;
  const badge = $('#account-email-badge');
  badge.textContent = account.email.verified ? 'verified' : 'not verified';
  badge.dataset.tone = account.email.verified ? 'ok' : 'warn';
  $('#email-unverified').hidden = account.email.verified;
  $('#account-created').replaceChildren(time(account.events.createdAt));
  $('#account-last-login').replaceChildren(time(account.events.lastLoginAt));
  if (account.lastLoginDevice) {
    $('#account-last-login').append(el('span', { class: 'muted' }, ` on ${describeDevice(account.lastLoginDevice)}`));
  }
  $('#account-roles').textContent = account.roles.length > 0 ? account.roles.join(', ') : 'none';
  // Multi-group mode only: each group has accounts of its own, the same address in two is two accounts.
  $('#account-group-fact').hidden = currentGroup() === null;
  $('#account-group').textContent = account.group;
  for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('.account-username'))) input.value = account.email.address;

  // The profile form shows the saved values, unless someone is editing it.
  if (!$('#profile-form').contains(document.activeElement)) fillProfile(account);

  $('#panic-no-codes').hidden = account.twoFactor.recoveryCodesRemaining > 0;
  renderTwoFactorSection(account);
}

function fillProfile(account: Account): void {
  $<HTMLInputElement>('#profile-first').value = account.name.first ?? '';
  $<HTMLInputElement>('#profile-last').value = account.name.last ?? '';
  $<HTMLInputElement>('#profile-support').checked = account.allowSupportLogin;
}

export function initAccount(): void {
  const resendBox = $('#email-unverified');
  onClick($('#resend-verification'), resendBox, async () => {
    await api.resendVerification();
    showSaved('Sent. Earlier verification tokens no longer work; the new one is in the development outbox.');
  });

  const profile = $<HTMLFormElement>('#profile-form');
  onSubmit(profile, async () => {
    const account = await api.updateProfile({
      name: { first: field(profile, 'first') || null, last: field(profile, 'last') || null },
      allowSupportLogin: checked(profile, 'allowSupportLogin'),
    });
    setAccount(account);
    fillProfile(account);
    showSaved('Profile saved.');
  });

  const password = $<HTMLFormElement>('#password-form');
  onSubmit(password, async () => {
    const current = field(password, 'current');
    const next = field(password, 'new');
    if (!current || !next) return showFormMessage(password, 'Enter your current password and a new one.');
    if (next !== field(password, 'repeat')) {
      showFormMessage(password, 'The new password and its repetition differ.');
      $('#password-repeat').focus();
      return;
    }
    setAccount(await api.changePassword(current, next));
    password.reset();
    showSaved('Password changed. Your other sessions were signed out.');
    await loadSessions();
  });

  initPanic();

  // Deleting needs the same fresh proof as changing how the account signs in: the password while no
  // second step is on, a current second step once one is (the password alone is then refused).
  const remove = $<HTMLFormElement>('#delete-form');
  onSubmit(remove, async () => {
    const proof = requireProof(remove);
    if (!proof) return;
    if (!checked(remove, 'confirm')) {
      showFormMessage(remove, 'Tick “I understand that this cannot be undone” to go on.');
      $('#delete-confirm').focus();
      return;
    }
    await api.deleteAccount(proof);
    remove.reset();
    endLocally({ message: 'Your account was deleted and every session signed out.', kind: 'info' });
  });
}

function initPanic(): void {
  const form = $<HTMLFormElement>('#panic-form');
  const start = $('#panic-start');
  const confirm = $('#panic-confirm');
  const close = () => {
    confirm.hidden = true;
    start.setAttribute('aria-expanded', 'false');
  };
  start.addEventListener('click', () => {
    confirm.hidden = false;
    start.setAttribute('aria-expanded', 'true');
    $('#panic-confirm button[type=submit]').focus();
  });
  $('#panic-cancel').addEventListener('click', () => {
    close();
    start.focus();
  });
  confirm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      close();
      start.focus();
    }
  });
  onSubmit(form, async () => {
    await api.panic();
    close();
    // The server revoked every session, this one included: nothing left to sign out of.
    endLocally({
      message: 'Your account is locked and every session was signed out. Unlock it with a recovery code.',
      kind: 'info',
      route: 'unlock',
    });
  });
}

/** Says that something worked, in the page's message area (which stays in view). */
export function showSaved(message: string): void {
  announce(message, 'success');
}
