// The fresh proof that every change to the ways of signing in needs, even right after signing in:
// confirming an authenticator, turning email or text codes on, new recovery codes, adding or removing a
// passkey, deleting the account. The password while the account has no second factor, a current second
// factor (`x-otp`) once it has (`twoFactor.enabled` says which, as the server's
// factor-change-proof.ts judges it): only that one field shows, never both, and its label says why it
// is asked. One component, placed where a form has `<div data-proof="…">`, or built into a form made by
// script (`addProof`). The client always sends the proof: a form without one says what to enter
// instead of calling the server.

import * as api from '../api.js';
import type { Account } from '../types.js';
import { $, announce, el, onClick, showFormMessage } from '../ui.js';

let account: Account | null = null;

/** Builds the proof fields in every `[data-proof]` placeholder of the page. */
export function initProofs(): void {
  for (const slot of Array.from(document.querySelectorAll<HTMLElement>('[data-proof]'))) buildProof(slot);
}

/**
 * A proof placeholder for a form made by script (`prefix` makes its ids unique), already showing the
 * field the account owes.
 */
export function addProof(form: HTMLFormElement, prefix: string, before: Node | null = null): void {
  const slot = el('div', { class: 'proof', 'data-proof': prefix });
  form.insertBefore(slot, before);
  buildProof(slot);
  if (account) renderSlot(slot, account);
}

function buildProof(slot: HTMLElement): void {
  const prefix = `${slot.dataset.proof}-proof`;
  const passwordInput = el('input', {
    id: `${prefix}-password`,
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    'aria-describedby': `${prefix}-password-hint`,
  });
  const codeInput = el('input', {
    id: `${prefix}-code`,
    name: 'x-otp',
    autocomplete: 'one-time-code',
    spellcheck: 'false',
    placeholder: '123456 or abcde-fghjk-mnpqr',
    'aria-describedby': `${prefix}-code-hint`,
  });
  const sendEmail = el('button', { type: 'button', class: 'button secondary small', 'data-channel': 'email' }, 'Email me a code');
  const sendSms = el('button', { type: 'button', class: 'button secondary small', 'data-channel': 'sms' }, 'Text me a code');
  slot.replaceChildren(
    el(
      'div',
      { class: 'field', 'data-proof-password': true },
      el('label', { for: passwordInput.id }, 'Your password ', el('span', { class: 'optional' }, '(asked while two-step verification is off)')),
      passwordInput,
      el('p', { class: 'hint', id: `${prefix}-password-hint` }, 'This change needs your password, since you have no second step yet. Once you do, a code from it is asked instead.'),
    ),
    el(
      'div',
      { class: 'field', 'data-proof-code': true, hidden: true },
      el('label', { for: codeInput.id }, 'A current second step ', el('span', { class: 'optional' }, '(authenticator code, recovery code, or a code we send you)')),
      codeInput,
      el('p', { class: 'hint', id: `${prefix}-code-hint` }, 'Two-step verification is on, so this change needs one of your second steps rather than your password.'),
      el('div', { class: 'button-row proof-send' }, sendEmail, sendSms),
    ),
  );
  const form = slot.closest('form') ?? slot;
  for (const button of [sendEmail, sendSms]) {
    const channel = button.dataset.channel as api.Channel;
    onClick(button, form, async () => {
      await api.sendCode(channel);
      announce(channel === 'email' ? 'We emailed you a code.' : 'We texted you a code.', 'success');
      codeInput.focus();
    });
  }
}

/** Shows the password or the code field, as the account's factors require. */
export function renderProofs(next: Account): void {
  account = next;
  for (const slot of Array.from(document.querySelectorAll<HTMLElement>('[data-proof]'))) renderSlot(slot, next);
}

function renderSlot(slot: HTMLElement, current: Account): void {
  const hasFactor = current.twoFactor.enabled;
  const methods = current.twoFactor.methods;
  $('[data-proof-password]', slot).hidden = hasFactor;
  $('[data-proof-code]', slot).hidden = !hasFactor;
  $('[data-channel="email"]', slot).hidden = !methods.includes('email');
  $('[data-channel="sms"]', slot).hidden = !methods.includes('sms');
}

/** What to ask for when a form holds no proof yet. */
export function missingProofMessage(): string {
  return account?.twoFactor.enabled
    ? 'Enter a current second step: an authenticator code, a recovery code, or a code we send you.'
    : 'Enter your password.';
}

/** The proof a form holds, of the kind the account owes (empty fields are left out). */
export function readProof(form: HTMLFormElement): api.FactorChangeProof {
  const slot = form.querySelector<HTMLElement>('[data-proof]');
  if (!slot) return {};
  if (account?.twoFactor.enabled) {
    const otp = $<HTMLInputElement>('input[name="x-otp"]', slot).value.replace(/\s+/g, '');
    return otp ? { otp } : {};
  }
  const password = $<HTMLInputElement>('input[name="password"]', slot).value;
  return password ? { password } : {};
}

/**
 * The proof a form holds, or null after saying in the form what is missing (and focusing that field):
 * the caller then stops, and nothing reaches the server without its proof.
 */
export function requireProof(form: HTMLFormElement): api.FactorChangeProof | null {
  const proof = readProof(form);
  if (proof.password || proof.otp) return proof;
  showFormMessage(form, missingProofMessage());
  const slot = form.querySelector<HTMLElement>('[data-proof]');
  slot?.querySelector<HTMLInputElement>(account?.twoFactor.enabled ? 'input[name="x-otp"]' : 'input[name="password"]')?.focus();
  return null;
}
