// The fresh proof that adding a way to sign in needs (confirming an authenticator, turning on email or
// text codes, new recovery codes, adding a passkey): the password while the account has no second factor, a current
// second factor (`x-otp`) once it has. One component, placed where a form has `<div data-proof="…">`.

import * as api from '../api.js';
import type { Account } from '../types.js';
import { $, announce, el, onClick } from '../ui.js';

let account: Account | null = null;

/** Builds the proof fields in every `[data-proof]` placeholder. */
export function initProofs(): void {
  for (const slot of Array.from(document.querySelectorAll<HTMLElement>('[data-proof]'))) {
    const prefix = `${slot.dataset.proof}-proof`;
    const passwordInput = el('input', { id: `${prefix}-password`, name: 'password', type: 'password', autocomplete: 'current-password', 'aria-describedby': `${prefix}-password-hint` });
    const codeInput = el('input', { id: `${prefix}-code`, name: 'x-otp', autocomplete: 'one-time-code', spellcheck: 'false', 'aria-describedby': `${prefix}-code-hint` });
    const sendEmail = el('button', { type: 'button', class: 'button secondary small', 'data-channel': 'email' }, 'Email me a code');
    const sendSms = el('button', { type: 'button', class: 'button secondary small', 'data-channel': 'sms' }, 'Text me a code');
    slot.replaceChildren(
      el(
        'div',
        { class: 'field', 'data-proof-password': true },
        el('label', { for: passwordInput.id }, 'Your password'),
        passwordInput,
        el('p', { class: 'hint', id: `${prefix}-password-hint` }, 'Adding a way to sign in needs your password while you have no second step.'),
      ),
      el(
        'div',
        { class: 'field', 'data-proof-code': true, hidden: true },
        el('label', { for: codeInput.id }, 'A current second step: authenticator code, recovery code, or a code we send you'),
        codeInput,
        el('p', { class: 'hint', id: `${prefix}-code-hint` }, 'Two-step verification is on, so changing it needs one of your current second steps.'),
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
}

/** Shows the password or the code field, as the account's factors require. */
export function renderProofs(next: Account): void {
  account = next;
  const hasFactor = next.twoFactor.enabled;
  const methods = next.twoFactor.methods;
  for (const slot of Array.from(document.querySelectorAll<HTMLElement>('[data-proof]'))) {
    $('[data-proof-password]', slot).hidden = hasFactor;
    $('[data-proof-code]', slot).hidden = !hasFactor;
    $('[data-channel="email"]', slot).hidden = !methods.includes('email');
    $('[data-channel="sms"]', slot).hidden = !methods.includes('sms');
  }
}

/** What to ask for when a form holds no proof yet (checked before a passkey ceremony starts). */
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
