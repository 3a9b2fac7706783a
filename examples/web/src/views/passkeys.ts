// Passkeys on the account page: add one (the browser's WebAuthn ceremony, via @simplewebauthn/browser),
// list them, rename them, and remove them. Adding and removing are proven by the password or a current
// second step, like every change to the ways of signing in.

import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { isLatchkeyClientError } from '../../../../src/client/index.js';
import * as api from '../api.js';
import { setAccount } from '../session.js';
import type { Passkey } from '../types.js';
import { $, announce, clearErrors, el, field, onSubmit, showError, showFormMessage, time } from '../ui.js';
import { localhostHint, passkeyProblem } from './passkey-errors.js';
import { addProof, requireProof } from './proof.js';

export async function loadPasskeys(): Promise<void> {
  const errorBox = $('#passkeys-error');
  try {
    renderPasskeys(await api.listPasskeys());
    errorBox.hidden = true;
  } catch (error) {
    $('#passkey-list').replaceChildren();
    $('#passkey-empty').hidden = true;
    const problem = passkeyProblem(error);
    if (problem) {
      errorBox.replaceChildren(el('p', {}, problem));
      errorBox.hidden = false;
      $('#passkey-add-form').hidden = true;
    } else {
      showError($('#passkeys'), error);
    }
  }
}

function renderPasskeys(passkeys: Passkey[]): void {
  $('#passkey-add-form').hidden = false;
  $('#passkey-empty').hidden = passkeys.length > 0;
  $('#passkey-list').replaceChildren(...passkeys.map(passkeyItem));
}

function passkeyItem(passkey: Passkey): HTMLLIElement {
  const name = passkey.name || 'Unnamed passkey';
  const nameId = `passkey-${passkey.id}-name`;
  const summary = el(
    'div',
    { class: 'item-main' },
    el('strong', { id: nameId }, name),
    el(
      'span',
      { class: 'muted' },
      'Added ',
      time(passkey.createdAt),
      ...(passkey.lastUsedAt ? [' · last used ', time(passkey.lastUsedAt)] : [' · not used yet']),
    ),
  );
  const renameButton = el('button', { type: 'button', class: 'button secondary small', 'aria-describedby': nameId }, 'Rename');
  const removeButton = el('button', { type: 'button', class: 'button danger-outline small', 'aria-describedby': nameId }, 'Remove');
  const actions = el('div', { class: 'button-row' }, renameButton, removeButton);
  const item = el('li', { class: 'item' }, summary, actions);

  renameButton.addEventListener('click', () => {
    const input = el('input', { id: `passkey-${passkey.id}-rename`, name: 'name', maxlength: '100', value: passkey.name ?? '', autocomplete: 'off' });
    const form = el(
      'form',
      { class: 'inline-form', novalidate: true },
      el('div', { class: 'form-error', role: 'alert', hidden: true }),
      el('div', { class: 'field' }, el('label', { for: input.id }, `New name for “${name}”`), input),
      el(
        'div',
        { class: 'button-row' },
        el('button', { type: 'submit', class: 'button primary small' }, 'Save'),
        el('button', { type: 'button', class: 'button secondary small', 'data-cancel': true }, 'Cancel'),
      ),
    );
    const close = () => {
      form.remove();
      actions.hidden = false;
      renameButton.focus();
    };
    form.querySelector('[data-cancel]')?.addEventListener('click', close);
    form.addEventListener('keydown', (event) => event.key === 'Escape' && close());
    onSubmit(form, async () => {
      const next = field(form, 'name');
      if (!next) return showFormMessage(form, 'Enter a name.');
      try {
        await api.renamePasskey(passkey.id, next);
      } catch (error) {
        if (isLatchkeyClientError(error, 'not_found') || isLatchkeyClientError(error, 'method_not_allowed')) {
          return showFormMessage(form, 'This server cannot rename passkeys yet.');
        }
        throw error;
      }
      announce(`Renamed to “${next}”.`, 'success');
      await loadPasskeys();
      focusPasskeyList();
    });
    actions.hidden = true;
    item.append(form);
    input.focus();
    input.select();
  });

  removeButton.addEventListener('click', () => {
    // Removing a way to sign in needs the same fresh proof as adding one.
    const confirm = el(
      'form',
      { class: 'confirm', novalidate: true, 'aria-label': `Remove ${name}` },
      el('div', { class: 'form-error', role: 'alert', hidden: true }),
      el('p', {}, `Remove “${name}”? You will no longer be able to sign in with it.`),
    );
    const buttons = el(
      'div',
      { class: 'button-row' },
      el('button', { type: 'submit', class: 'button danger small', 'data-yes': true }, 'Yes, remove it'),
      el('button', { type: 'button', class: 'button secondary small', 'data-no': true }, 'Cancel'),
    );
    confirm.append(buttons);
    addProof(confirm, `passkey-${passkey.id}-remove`, buttons);
    const close = () => {
      confirm.remove();
      actions.hidden = false;
      removeButton.focus();
    };
    confirm.querySelector('[data-no]')?.addEventListener('click', close);
    confirm.addEventListener('keydown', (event) => event.key === 'Escape' && close());
    onSubmit(confirm, async () => {
      const proof = requireProof(confirm);
      if (!proof) return;
      await api.deletePasskey(passkey.id, proof);
      announce(`Removed “${name}”.`, 'success');
      // The proof may have been a recovery code, now spent: the account is read afresh too.
      await Promise.all([loadPasskeys(), refreshAccount()]);
      focusPasskeyList();
    });
    actions.hidden = true;
    item.append(confirm);
    confirm.querySelector<HTMLInputElement>('[data-proof] .field:not([hidden]) input')?.focus();
  });

  return item;
}

/** Re-reads the account (GET /auth/account); a failure here leaves the page as it was. */
async function refreshAccount(): Promise<void> {
  try {
    setAccount(await api.getAccount());
  } catch {
    // The passkey was added; the account shows again on the next load.
  }
}

/** After the list is redrawn, focus lands on its section heading rather than on nothing. */
function focusPasskeyList(): void {
  const heading = $('#passkeys-title');
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

export function initPasskeys(): void {
  const form = $<HTMLFormElement>('#passkey-add-form');
  onSubmit(form, async () => {
    clearErrors(form);
    if (!browserSupportsWebAuthn()) return showFormMessage(form, 'This browser does not support passkeys.');
    // Adding a way to sign in needs a fresh proof (the password, or a current second step): asked for
    // before the device is, so the owner is not made to touch it for nothing.
    const proof = requireProof(form);
    if (!proof) return;
    try {
      const optionsJSON = await api.passkeyRegistrationOptions();
      const credential = await startRegistration({ optionsJSON });
      const passkey = await api.registerPasskey(credential, field(form, 'name'), proof);
      form.reset();
      announce(`Passkey “${passkey.name ?? 'passkey'}” added. You can sign in with it now.`, 'success');
      // The proof may have been a recovery code, now spent: re-read the account so that what the page
      // says of it (recovery codes left, say) is current.
      await Promise.all([loadPasskeys(), refreshAccount()]);
    } catch (error) {
      const problem = passkeyProblem(error);
      if (problem) return showFormMessage(form, problem);
      throw error;
    }
  });
  const hint = localhostHint();
  if (hint) form.append(el('p', { class: 'hint' }, hint));
}
