// Support sessions on the admin page: opening one for an account that allows it (POST
// /auth/accounts/{id}/support-session), then either acting as that account (support.ts swaps the page
// to the support token, under a banner) or ending it unused. And the banner itself.

import * as admin from '../admin-api.js';
import { actingAccount, actingUntil, actorOf, endActing, revokeSupportToken, startActing } from '../support.js';
import type { Account, SupportSession } from '../types.js';
import { $, announce, onClick, onSubmit } from '../ui.js';

/** A support session opened and not acted in yet (memory only), for the account it belongs to. */
let pending: { session: SupportSession; openedAt: number } | null = null;

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** Says whether the account allows support sign-in; `other`: a different account than before. */
export function renderSupport(account: Account, options: { other: boolean }): void {
  if (options.other) discardPending();
  const email = account.email.address;
  $('#admin-support-text').textContent = account.allowSupportLogin
    ? `${email} allows support sign-in. A support session lasts 15 minutes and cannot be renewed; in it you can read the account and edit its name, nothing else. ${email} is mailed about it.`
    : `${email} has not allowed support sign-in (a setting of their profile), so the server refuses a support session.`;
}

/** Ends an opened session that was not used (another account was opened, or the admin said so). */
function discardPending(): void {
  if (pending) void revokeSupportToken(pending.session.accessToken);
  pending = null;
  $('#admin-support-opened').hidden = true;
  $('#admin-support-open').hidden = false;
}

export function initAdminSupport(current: () => Account | null): void {
  const form = $<HTMLFormElement>('#admin-support-form');
  onSubmit(form, async () => {
    const account = current();
    if (!account) return;
    discardPending();
    const openedAt = Date.now();
    const session = await admin.openSupportSession(account.id);
    pending = { session, openedAt };
    const email = session.account.email.address;
    const until = clock.format(openedAt + session.expiresIn * 1000);
    const actor = actorOf(session.accessToken) ?? session.act?.sub ?? 'you';
    const text = $('#admin-support-opened-text');
    text.textContent =
      `Support session opened for ${email}, until ${until}. Its access token names you as the actor ` +
      `(act.sub ${actor}) and comes without a refresh token. Your own session stays as it is.`;
    $('#admin-support-open').hidden = true;
    $('#admin-support-opened').hidden = false;
    text.focus();
  });

  onClick($('#admin-support-act'), form, async () => {
    if (!pending) return;
    const { session, openedAt } = pending;
    pending = null;
    $('#admin-support-opened').hidden = true;
    $('#admin-support-open').hidden = false;
    startActing(session, openedAt);
  });

  onClick($('#admin-support-discard'), form, async () => {
    const email = pending?.session.account.email.address;
    discardPending();
    announce(`Ended the support session${email ? ` for ${email}` : ''}.`, 'success');
    $('#admin-support-open').focus();
  });
}

/** Shows the banner while acting as an account, hides it otherwise. */
export function renderSupportBanner(): void {
  const account = actingAccount();
  const until = actingUntil();
  $('#support-banner').hidden = !account;
  if (!account) return;
  $('#support-banner-email').textContent = account.email.address;
  $('#support-banner-until').textContent = until ? `(until ${clock.format(until)})` : '';
}

export function initSupportBanner(): void {
  $('#support-end').addEventListener('click', () => {
    const email = actingAccount()?.email.address ?? '';
    void endActing({ message: `You ended the support session for ${email}.`, kind: 'success' });
  });
}
