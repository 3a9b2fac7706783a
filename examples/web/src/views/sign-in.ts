// Signing in: password, then (when the account has one) the second step with an authenticator code,
// an emailed or texted code, or a recovery code; or a passkey, discoverable or for a given email.

import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { type CompleteTwoFactorInput, isLatchkeyClientError, LatchkeyClientError, type TwoFactorMethod } from '../../../../src/client/index.js';
import * as api from '../api.js';
import { go } from '../router.js';
import { $, announce, el, field, handled, onClick, onSubmit, showFormMessage } from '../ui.js';
import { localhostHint, passkeyProblem } from './passkey-errors.js';

type CodeMethod = 'totp' | 'email' | 'sms';

/** The challenge a correct password earned, kept in memory only until the second step completes. */
let pending: { challenge: string; methods: readonly TwoFactorMethod[]; method: CodeMethod | null } | null = null;

/** The email typed last, so that later forms (verify, unlock) can start with it. */
let lastEmail = '';

export function rememberedEmail(): string {
  return lastEmail;
}

export function rememberEmail(email: string): void {
  lastEmail = email;
}

export function hasPendingChallenge(): boolean {
  return pending !== null;
}

/** The client has started the session (and told session.ts): on to the account page. */
function signedIn(message: string): void {
  pending = null;
  go('account', { message, kind: 'success' });
}

export function initSignIn(): void {
  const form = $<HTMLFormElement>('#sign-in-form');

  onSubmit(form, async () => {
    const email = field(form, 'email');
    const password = field(form, 'password');
    lastEmail = email;
    if (!email || !password) return showFormMessage(form, 'Enter your email and password.');
    const result = await api.login({ email, password }).catch((error: unknown) => {
      throw withNextStep(error);
    });
    if (result.status === 'two_factor_required') return secondStepFor(result, form);
    form.reset();
    signedIn('Signed in.');
  });

  const passkeyHint = $('#passkey-hint');
  const hint = localhostHint();
  if (!browserSupportsWebAuthn()) {
    passkeyHint.textContent = 'This browser does not support passkeys.';
    passkeyHint.hidden = false;
  } else if (hint) {
    passkeyHint.textContent = hint;
    passkeyHint.hidden = false;
  }

  onClick($('#passkey-sign-in'), form, () => signInWithPasskey(form));
  onClick($('#passkey-sign-in-email'), form, async () => {
    const email = field(form, 'email');
    if (!email) {
      showFormMessage(form, 'Enter your email first, then choose “Use a passkey for the email above”.');
      $('#sign-in-email').focus();
      return;
    }
    lastEmail = email;
    await signInWithPasskey(form, email);
  });
}

/** Discoverable (the browser offers the passkeys it holds for this site) or for one email. */
async function signInWithPasskey(form: HTMLFormElement, email?: string): Promise<void> {
  if (!browserSupportsWebAuthn()) return showFormMessage(form, 'This browser does not support passkeys.');
  try {
    const optionsJSON = await api.passkeyLoginOptions(email);
    const credential = await startAuthentication({ optionsJSON });
    await api.passkeyLogin(credential);
    form.reset();
    signedIn('Signed in with a passkey.');
  } catch (error) {
    // A passkey used without user verification is one factor: the account's second one is due (the
    // passthrough throws it as an error, with the methods and the challenge beside it).
    if (isLatchkeyClientError(error, 'two_factor_required')) {
      const { methods, challenge } = error.extra;
      if (typeof challenge === 'string') {
        return secondStepFor({ challenge, methods: Array.isArray(methods) ? (methods as TwoFactorMethod[]) : [] }, form);
      }
    }
    const problem = passkeyProblem(error);
    if (problem) return showFormMessage(form, problem);
    throw withNextStep(error);
  }
}

/** The first factor was right: keep the challenge in memory and ask for the second. */
function secondStepFor(required: { challenge: string; methods: readonly TwoFactorMethod[] }, form: HTMLFormElement): void {
  const { challenge, methods } = required;
  pending = { challenge, methods, method: methods.includes('totp') ? 'totp' : null };
  form.reset();
  go('two-factor');
}

/** Errors that have a next step elsewhere in the demo say so. */
function withNextStep(error: unknown): unknown {
  if (!(error instanceof LatchkeyClientError)) return error;
  const next =
    error.code === 'account_locked' ? 'If you locked it, unlock it with a recovery code (“Unlock a locked account” below).'
    : error.code === 'email_not_verified' ? 'Then use “Verify your email address” below.'
    : null;
  if (!next) return error;
  return new LatchkeyClientError(error.code, `${error.message} ${next}`, { status: error.status, details: error.details, extra: error.extra });
}

// --- the second step ---------------------------------------------------------------------------------

const METHOD_TEXT: Record<CodeMethod, { label: string; hint: string }> = {
  totp: { label: 'Code from your authenticator app', hint: 'The 6-digit code your app shows now.' },
  email: { label: 'Code from the email we sent', hint: 'This demo sends no real mail: the code is in the development outbox (/dev/outbox).' },
  sms: { label: 'Code from the text message we sent', hint: 'This demo sends no real text messages: the code is in the development SMS outbox (/dev/sms).' },
};

export function initTwoFactor(): void {
  const form = $<HTMLFormElement>('#two-factor-form');
  const recoveryForm = $<HTMLFormElement>('#two-factor-recovery-form');

  onSubmit(form, async () => {
    if (!pending) return go('sign-in');
    const code = field(form, 'code').replace(/\s+/g, '');
    if (!code) return showFormMessage(form, 'Enter the code.');
    await second({ challenge: pending.challenge, code, method: pending.method ?? 'totp' });
    form.reset();
    signedIn('Signed in with two-step verification.');
  });

  onSubmit(recoveryForm, async () => {
    if (!pending) return go('sign-in');
    const recoveryCode = field(recoveryForm, 'recoveryCode');
    if (!recoveryCode) return showFormMessage(recoveryForm, 'Enter one of your recovery codes.');
    await second({ challenge: pending.challenge, recoveryCode });
    recoveryForm.reset();
    signedIn('Signed in with a recovery code. That code is now used up: make new ones below if you are running low.');
  });

  onClick($('#two-factor-use-totp'), form, async () => {
    if (!pending) return go('sign-in');
    pending.method = 'totp';
    renderTwoFactor();
    $('#two-factor-code').focus();
  });
  for (const channel of ['email', 'sms'] as const) {
    onClick($(`#two-factor-send-${channel}`), form, async () => {
      if (!pending) return go('sign-in');
      await api.sendLoginCode(pending.challenge, channel);
      pending.method = channel;
      renderTwoFactor();
      announce(channel === 'email' ? 'We emailed you a code.' : 'We texted you a code.', 'success');
      $('#two-factor-code').focus();
    });
  }
}

/** The second step; a challenge that expired or was used sends the person back to the password. */
async function second(input: CompleteTwoFactorInput): Promise<void> {
  try {
    await api.completeTwoFactor(input);
  } catch (error) {
    if (isLatchkeyClientError(error, 'invalid_token')) {
      pending = null;
      go('sign-in', { message: 'That sign-in attempt expired (after 5 minutes) or was already used. Enter your password again.', kind: 'error' });
      throw handled();
    }
    throw error;
  }
}

/** Shows the code field for the chosen method and offers the others. */
export function renderTwoFactor(): void {
  if (!pending) return;
  const { methods, method } = pending;
  const codeField = $('#two-factor-code-field');
  const submit = $('#two-factor-submit');
  codeField.hidden = method === null;
  submit.hidden = method === null;
  if (method) {
    $('#two-factor-code-label').textContent = METHOD_TEXT[method].label;
    const hint = $('#two-factor-code-hint');
    hint.replaceChildren(METHOD_TEXT[method].hint);
    if (method !== 'totp') {
      const path = method === 'email' ? '/dev/outbox' : '/dev/sms';
      hint.replaceChildren(
        `${METHOD_TEXT[method].hint.split(':')[0]}: open the `,
        el('a', { href: path, target: '_blank', rel: 'noopener' }, method === 'email' ? 'development outbox' : 'development SMS outbox'),
        ' (opens in a new tab).',
      );
    }
  }
  $('#two-factor-use-totp').hidden = !methods.includes('totp') || method === 'totp';
  $('#two-factor-send-email').hidden = !methods.includes('email');
  $('#two-factor-send-email').textContent = method === 'email' ? 'Email me a new code' : 'Email me a code';
  $('#two-factor-send-sms').hidden = !methods.includes('sms');
  $('#two-factor-send-sms').textContent = method === 'sms' ? 'Text me a new code' : 'Text me a code';
  const others = (['totp', 'email', 'sms'] as const).filter((m) => methods.includes(m) && m !== method);
  $('#two-factor-other-ways').hidden = others.length === 0 && method !== 'email' && method !== 'sms';
  $('#two-factor-other-ways p').textContent = method === null ? 'Choose how to get your code:' : 'Or get a code another way:';
}
