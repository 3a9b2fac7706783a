// Two-step verification on the account page: the authenticator app (TOTP) with its QR code, codes by
// email, the phone and codes by text message, and the recovery codes.

import * as api from '../api.js';
import { setAccount } from '../session.js';
import type { Account } from '../types.js';
import { $, announce, copyText, el, field, focusHeading, onClick, onSubmit, reveal, showFormMessage } from '../ui.js';
import { initProofs, renderProofs, requireProof } from './proof.js';

/** Steps in progress, which the account alone does not tell. */
const progress = { totpSetup: false, emailCodeSent: false, phoneCodeSent: false };

const METHOD_NAMES: Record<string, string> = {
  totp: 'authenticator app',
  email: 'codes by email',
  sms: 'codes by text message',
  webauthn: 'passkey',
};

export function renderTwoFactorSection(account: Account): void {
  const methods = account.twoFactor.methods;
  const on = (method: string) => methods.includes(method);
  $('#two-factor-summary').textContent = account.twoFactor.enabled
    ? `On. After your password, signing in takes one of: ${methods.map((m) => METHOD_NAMES[m] ?? m).join(', ')}.`
    : 'Off: your password alone signs you in. Turn on one of these to add a second step.';

  badge('#totp-badge', on('totp'));
  $('#totp-off').hidden = on('totp') || progress.totpSetup;
  $('#totp-setup').hidden = !progress.totpSetup;
  $('#totp-disable-form').hidden = !on('totp');

  badge('#email-codes-badge', on('email'));
  $('#email-codes-address').textContent = account.email.address;
  $('#email-codes-enable-form').hidden = on('email');
  $('#email-codes-verify').hidden = !progress.emailCodeSent;
  $('#email-codes-send').textContent = progress.emailCodeSent ? 'Send another code' : 'Send me a code to turn this on';
  $('#email-codes-disable-form').hidden = !on('email');

  badge('#sms-badge', on('sms'));
  const phone = account.phone;
  $('#phone-summary').textContent = phone.number
    ? `Your number: ${phone.number} (${phone.verified ? 'verified' : 'not verified yet'}). Enter a new one below to replace it.`
    : 'Add a mobile number to get sign-in codes by text message.';
  $('#phone-otp-field').hidden = !on('sms');
  $('#phone-verify-form').hidden = !progress.phoneCodeSent;
  $('#sms-enable-form').hidden = !phone.verified || on('sms') || progress.phoneCodeSent;
  $('#sms-disable-form').hidden = !on('sms');

  renderProofs(account);
  const remaining = account.twoFactor.recoveryCodesRemaining;
  $('#recovery-summary').textContent =
    remaining === 0
      ? 'You have no recovery codes. They are made when you turn on the authenticator app, or here.'
      : `You have ${remaining} unused recovery code${remaining === 1 ? '' : 's'}.`;
}

function badge(selector: string, on: boolean): void {
  const element = $(selector);
  element.textContent = on ? 'on' : 'off';
  element.dataset.tone = on ? 'ok' : 'neutral';
}

export function initTwoFactorSettings(): void {
  initProofs();
  initTotp();
  initChannel('email');
  initPhone();
  initRecoveryCodes();
}

function initTotp(): void {
  const startForm = $<HTMLFormElement>('#totp-start-form');
  onSubmit(startForm, async () => {
    const enrolment = await api.startTotp();
    $<HTMLImageElement>('#totp-qr').src = svgDataUrl(enrolment.qrCodeSvg);
    $('#totp-secret').textContent = enrolment.secret.replace(/(.{4})(?=.)/g, '$1 ');
    progress.totpSetup = true;
    $('#totp-off').hidden = true;
    reveal($('#totp-setup'), '#totp-code');
  });

  const confirmForm = $<HTMLFormElement>('#totp-confirm-form');
  onSubmit(confirmForm, async () => {
    const code = field(confirmForm, 'code').replace(/\s+/g, '');
    if (!code) return showFormMessage(confirmForm, 'Enter the code the app shows.');
    const proof = requireProof(confirmForm);
    if (!proof) return;
    const { recoveryCodes } = await api.confirmTotp(code, proof);
    confirmForm.reset();
    closeTotpSetup();
    setAccount(await api.getAccount());
    showRecoveryCodes(recoveryCodes, 'The authenticator app is on. Here are your recovery codes');
  });

  $('#totp-cancel').addEventListener('click', () => {
    confirmForm.reset();
    closeTotpSetup();
    $('#totp-off').hidden = false;
    $<HTMLButtonElement>('#totp-start-form button').focus();
  });

  const disableForm = $<HTMLFormElement>('#totp-disable-form');
  onSubmit(disableForm, async () => {
    const otp = field(disableForm, 'x-otp').replace(/\s+/g, '');
    if (!otp) return showFormMessage(disableForm, 'Enter a code from the app or a recovery code.');
    setAccount(await api.disableTotp(otp));
    disableForm.reset();
    announce('The authenticator app is off.', 'success');
    $<HTMLButtonElement>('#totp-start-form button').focus();
  });
}

function closeTotpSetup(): void {
  progress.totpSetup = false;
  $('#totp-setup').hidden = true;
  $<HTMLImageElement>('#totp-qr').removeAttribute('src');
  $('#totp-secret').textContent = '';
}

/**
 * The QR code is SVG made by the server. It is shown as an image (`data:image/svg+xml`), never put
 * into the page as markup: an image cannot run script or reach the page, whatever the SVG holds.
 */
function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Email codes: send one, type it back, and they are on; turning them off needs a proof of presence. */
function initChannel(channel: 'email'): void {
  const enableForm = $<HTMLFormElement>(`#${channel}-codes-enable-form`);
  onClick($(`#${channel}-codes-send`), enableForm, async () => {
    await api.sendCode(channel);
    progress.emailCodeSent = true;
    $(`#${channel}-codes-send`).textContent = 'Send another code';
    reveal($(`#${channel}-codes-verify`), 'input');
    announce('We emailed you a code.', 'success');
  });
  onSubmit(enableForm, async () => {
    const code = field(enableForm, 'code').replace(/\s+/g, '');
    if (!code) return showFormMessage(enableForm, 'Enter the code from the email.');
    const proof = requireProof(enableForm);
    if (!proof) return;
    const account = await api.verifyChannel(channel, code, proof);
    progress.emailCodeSent = false;
    enableForm.reset();
    setAccount(account);
    announce('Codes by email are on.', 'success');
    $(`#${channel}-codes-disable-code`).focus();
  });

  const disableForm = $<HTMLFormElement>(`#${channel}-codes-disable-form`);
  onClick($(`#${channel}-codes-disable-send`), disableForm, async () => {
    await api.sendCode(channel);
    announce('We emailed you a code.', 'success');
    $(`#${channel}-codes-disable-code`).focus();
  });
  onSubmit(disableForm, async () => {
    const otp = field(disableForm, 'x-otp').replace(/\s+/g, '');
    if (!otp) return showFormMessage(disableForm, 'Enter a code first.');
    setAccount(await api.disableChannel(channel, otp));
    disableForm.reset();
    announce('Codes by email are off.', 'success');
    $(`#${channel}-codes-send`).focus();
  });
}

/** The phone: add or replace it (a code is texted), verify it, and text codes are on. */
function initPhone(): void {
  const phoneForm = $<HTMLFormElement>('#phone-form');
  onSubmit(phoneForm, async () => {
    const phone = field(phoneForm, 'phone');
    if (!phone) return showFormMessage(phoneForm, 'Enter a phone number.');
    await api.addPhone(phone, field(phoneForm, 'country').toUpperCase(), field(phoneForm, 'x-otp').replace(/\s+/g, ''));
    phoneForm.reset();
    progress.phoneCodeSent = true;
    setAccount(await api.getAccount());
    announce('We texted a code to your phone.', 'success');
    $('#phone-code').focus();
  });

  const verifyForm = $<HTMLFormElement>('#phone-verify-form');
  onSubmit(verifyForm, async () => {
    const code = field(verifyForm, 'code').replace(/\s+/g, '');
    if (!code) return showFormMessage(verifyForm, 'Enter the code from the text message.');
    const proof = requireProof(verifyForm);
    if (!proof) return;
    const account = await api.verifyChannel('sms', code, proof);
    progress.phoneCodeSent = false;
    verifyForm.reset();
    setAccount(account);
    announce('Your phone is verified and codes by text message are on.', 'success');
    $('#sms-disable-code').focus();
  });

  const enableForm = $<HTMLFormElement>('#sms-enable-form');
  onSubmit(enableForm, async () => {
    await api.sendCode('sms');
    progress.phoneCodeSent = true;
    setAccount(await api.getAccount());
    announce('We texted a code to your phone.', 'success');
    $('#phone-code').focus();
  });

  const disableForm = $<HTMLFormElement>('#sms-disable-form');
  onClick($('#sms-disable-send'), disableForm, async () => {
    await api.sendCode('sms');
    announce('We texted you a code.', 'success');
    $('#sms-disable-code').focus();
  });
  onSubmit(disableForm, async () => {
    const otp = field(disableForm, 'x-otp').replace(/\s+/g, '');
    if (!otp) return showFormMessage(disableForm, 'Enter a code first.');
    setAccount(await api.disableChannel('sms', otp));
    disableForm.reset();
    announce('Codes by text message are off. Your number stays on the account.', 'success');
    $('#phone-number').focus();
  });
}

function initRecoveryCodes(): void {
  const form = $<HTMLFormElement>('#recovery-form');
  onSubmit(form, async () => {
    const proof = requireProof(form);
    if (!proof) return;
    const { recoveryCodes } = await api.regenerateRecoveryCodes(proof);
    form.reset();
    setAccount(await api.getAccount());
    showRecoveryCodes(recoveryCodes, 'Your new recovery codes');
  });

  $('#recovery-codes-copy').addEventListener('click', async () => {
    const codes = Array.from($('#recovery-codes-list').children).map((item) => item.textContent ?? '').join('\n');
    announce((await copyText(codes)) ? 'The codes are on your clipboard.' : 'The browser did not allow copying: select the codes and copy them.', 'info');
  });
  $('#recovery-codes-done').addEventListener('click', () => {
    $('#recovery-codes-list').replaceChildren();
    $('#recovery-codes-panel').hidden = true;
    $<HTMLButtonElement>('#recovery-form button[type=submit]').focus();
  });
}

/** Shows codes that the server returns once, and moves focus to them. */
function showRecoveryCodes(codes: string[], title: string): void {
  $('#recovery-codes-title').textContent = title;
  $('#recovery-codes-list').replaceChildren(...codes.map((code) => el('li', {}, el('code', {}, code))));
  $('#recovery-codes-panel').hidden = false;
  focusHeading($('#recovery-codes-title'));
}
