// The pages of someone not signed in, besides signing in: creating an account, verifying the email
// address, resetting a forgotten password, and unlocking a panic-locked account.

import * as api from '../api.js';
import { go, type LinkToken } from '../router.js';
import { currentAccount, isSignedIn, setAccount, signOut } from '../session.js';
import { $, field, onSubmit, showFormMessage } from '../ui.js';
import { rememberEmail, rememberedEmail } from './sign-in.js';

export function initSignedOutViews(): void {
  const signUp = $<HTMLFormElement>('#sign-up-form');
  onSubmit(signUp, async () => {
    const email = field(signUp, 'email');
    const password = field(signUp, 'password');
    if (!email || !password) return showFormMessage(signUp, 'Enter an email address and a password.');
    const first = field(signUp, 'first') || null;
    const last = field(signUp, 'last') || null;
    await api.register({ email, password, ...(first || last ? { name: { first, last } } : {}) });
    rememberEmail(email);
    signUp.reset();
    // The answer is the same whether or not the address was already registered (no enumeration): an
    // existing owner gets a notice by mail instead of a token.
    go('verify-email', { message: `Account created. We sent a verification token to ${email}.`, kind: 'success' });
  });

  const verify = $<HTMLFormElement>('#verify-email-form');
  onSubmit(verify, async () => {
    const token = field(verify, 'token');
    if (!token) return showFormMessage(verify, 'Paste the token from the mail.');
    const signedInAs = currentAccount();
    const account = await api.verifyEmail(token);
    verify.reset();
    rememberEmail(account.email.address);
    if (signedInAs?.id === account.id && signedInAs.email.verified) {
      // Verified already: nothing changed on the server, this session included.
      setAccount(account);
      go('account', { message: 'Your email address was already verified.', kind: 'info' });
    } else if (isSignedIn()) {
      // The first verification ends every session opened before it (whoever registered the address
      // first keeps nothing), this tab's included: sign in again. The logout is for a server that did
      // not end it; one that did answers 401, which signOut ignores.
      await signOut({
        message: 'Your email address is verified. Verifying it signed out every earlier session, this one too: sign in again.',
        kind: 'success',
      });
    } else {
      go('sign-in', { message: 'Your email address is verified. You can sign in now.', kind: 'success' });
    }
  });

  const forgot = $<HTMLFormElement>('#forgot-form');
  onSubmit(forgot, async () => {
    const email = field(forgot, 'email');
    if (!email) return showFormMessage(forgot, 'Enter your email address.');
    await api.forgotPassword(email);
    rememberEmail(email);
    forgot.reset();
    go('reset-password', {
      message: `If ${email} has an account, a reset token is on its way. It is valid for an hour.`,
      kind: 'success',
    });
  });

  const reset = $<HTMLFormElement>('#reset-form');
  onSubmit(reset, async () => {
    const token = field(reset, 'token');
    const password = field(reset, 'password');
    const twoFactorCode = field(reset, 'twoFactorCode').replace(/\s+/g, '');
    if (!token || !password) return showFormMessage(reset, 'Paste the token from the mail and choose a new password.');
    await api.resetPassword({ token, password, ...(twoFactorCode ? { twoFactorCode } : {}) });
    reset.reset();
    const message = 'Your password is changed and every session was signed out. Sign in with the new one.';
    // A reset link opened while signed in: the reset ended this tab's session on the server too.
    if (isSignedIn()) await signOut({ message, kind: 'success' });
    else go('sign-in', { message, kind: 'success' });
  });

  const unlock = $<HTMLFormElement>('#unlock-form');
  onSubmit(unlock, async () => {
    const email = field(unlock, 'email');
    const recoveryCode = field(unlock, 'recoveryCode');
    const newPassword = field(unlock, 'newPassword');
    if (!email || !recoveryCode || !newPassword) {
      return showFormMessage(unlock, 'Enter your email, one of your recovery codes and a new password.');
    }
    await api.unlock({ email, recoveryCode, newPassword });
    unlock.reset();
    go('account', {
      message: 'Your account is unlocked, with your new password. The recovery code you used is spent.',
      kind: 'success',
    });
  });
}

/** The token of the mail's link the page was opened with, until its view shows it. */
let linkToken: LinkToken | null = null;

/** Keeps the token of a mail's link (read by the router from the fragment) for its view. */
export function useLinkToken(link: LinkToken | null): void {
  linkToken = link?.token ? link : null;
}

/** The view whose mail link's token waits to be filled in, if any. */
export function pendingLinkRoute(): string | null {
  return linkToken?.route ?? null;
}

/** Fills a view's fields with the token of a mail's link, or with the email used last. */
export function prefill(route: string): void {
  const email = rememberedEmail();
  const fill = (selector: string, value: string | null) => {
    const input = document.querySelector<HTMLInputElement>(selector);
    if (input && value) input.value = value;
  };
  if (route === 'sign-in') fill('#sign-in-email', email);
  if (route === 'forgot-password') fill('#forgot-email', email);
  if (route === 'unlock') fill('#unlock-email', email);
  if (linkToken && route === linkToken.route) {
    fill(route === 'verify-email' ? '#verify-email-token' : '#reset-token', linkToken.token);
    linkToken = null;
  }
}
