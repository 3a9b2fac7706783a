import type { MailKind } from '../ports.js';
import { escapeHtml } from './escape-html.js';
import type { MailTemplate, MailTemplateData, RenderedMail } from './types.js';

/**
 * One piece of a mail body. Each template lists its blocks once and {@link render} writes them as both
 * text and HTML, so the two parts never say different things.
 */
type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'action'; label: string; url: string }
  | { type: 'token'; token: string }
  | { type: 'code'; code: string };

const paragraph = (text: string): Block => ({ type: 'paragraph', text });

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const P = 'margin:0 0 16px;font-size:15px;line-height:1.5;';

function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'action':
      return `${block.label}:\n${block.url}`;
    case 'token':
      return `Token: ${block.token}`;
    case 'code':
      return `Code: ${block.code}`;
  }
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return `<p style="${P}">${escapeHtml(block.text)}</p>`;
    case 'action': {
      const href = escapeHtml(block.url);
      return (
        `<p style="margin:24px 0;"><a href="${href}" style="display:inline-block;padding:12px 20px;` +
        `background:#1f6feb;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600;">` +
        `${escapeHtml(block.label)}</a></p>` +
        `<p style="${P}font-size:13px;color:#57606a;">If the button does not work, paste this link into your browser:<br>` +
        `<a href="${href}" style="color:#1f6feb;word-break:break-all;">${href}</a></p>`
      );
    }
    case 'token':
      return (
        `<p style="${P}">Token: <code style="font-family:ui-monospace,Menlo,Consolas,monospace;` +
        `font-size:15px;background:#f6f8fa;padding:4px 6px;border-radius:4px;word-break:break-all;">` +
        `${escapeHtml(block.token)}</code></p>`
      );
    case 'code':
      return (
        `<p style="${P}">Code: <strong style="font-family:ui-monospace,Menlo,Consolas,monospace;` +
        `font-size:22px;letter-spacing:4px;">${escapeHtml(block.code)}</strong></p>`
      );
  }
}

/** Writes the greeting, the blocks and the signature as the text and HTML parts of a mail. */
function render(data: MailTemplateData, subject: string, blocks: Block[]): RenderedMail {
  const first = data.account.name.first?.trim();
  const all = [paragraph(first ? `Hi ${first},` : 'Hi,'), ...blocks];
  const signature = `The ${data.appName} team`;
  const text = `${all.map(blockText).join('\n\n')}\n\n${signature}\n`;
  const html =
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;background:#f6f8fa;font-family:${FONT};color:#1f2328;">` +
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;">` +
    all.map(blockHtml).join('') +
    `<p style="${P}margin:24px 0 0;color:#57606a;">${escapeHtml(signature)}</p>` +
    `</div></body></html>\n`;
  return { subject, text, html };
}

/** `90` → `90 minutes`, `60` → `1 hour`, `1440` → `24 hours`, `43200` → `30 days`. */
function formatDuration(minutes: number): string {
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;
  if (minutes >= 2880 && minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes >= 60 && minutes % 60 === 0) return unit(minutes / 60, 'hour');
  return unit(minutes, 'minute');
}

/** The link when the app configured one, else the token to type in, then when it stops working. */
function tokenBlocks(data: MailTemplateData, label: string, instruction: string): Block[] {
  const blocks: Block[] = [];
  if (data.url) blocks.push({ type: 'action', label, url: data.url });
  else if (data.token) blocks.push(paragraph(instruction), { type: 'token', token: data.token });
  if (data.expiresInMinutes) {
    const what = data.url ? 'link' : 'token';
    blocks.push(paragraph(`This ${what} expires in ${formatDuration(data.expiresInMinutes)} and works only once.`));
  }
  return blocks;
}

/** `2030-01-01T09:30:00.000Z` → `2030-01-01 09:30 UTC`. */
const formatTime = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const FORGOT = '"Forgot password" on the sign-in page';

/**
 * The built-in mails, one per {@link MailKind}. An app replaces any of them with `email.templates`.
 * Kinds that carry a token show the link built from `email.verificationUrl` / `email.resetUrl` when
 * it is configured, otherwise the token itself on a line of its own (`Token: …`). For
 * `account-deleted`, `expiresInMinutes` is read as the time left until the data is purged.
 */
export const defaultTemplates: Record<MailKind, MailTemplate> = {
  'email-verification': (data) =>
    render(data, `Confirm your email address for ${data.appName}`, [
      paragraph(`Please confirm that ${data.account.email.address} is your email address for ${data.appName}.`),
      ...tokenBlocks(data, 'Confirm email address', `Enter this token in ${data.appName} to confirm it:`),
      // Pre-account hijacking: confirming someone else's sign-up would leave them its password.
      paragraph(
        `If you did not sign up for ${data.appName}, do not confirm: someone else entered your address. ` +
          `Ignore this email, or take the account over by choosing a new password with ${FORGOT}, ` +
          'which also removes anything they set up.',
      ),
    ]),

  'password-reset': (data) =>
    render(data, `Reset your ${data.appName} password`, [
      paragraph(
        `We received a request to reset the password of your ${data.appName} account (${data.account.email.address}).`,
      ),
      ...tokenBlocks(data, 'Choose a new password', `Enter this token in ${data.appName} to choose a new password:`),
      paragraph(`If you didn't ask to reset your password, ignore this email: your password stays as it is.`),
    ]),

  'account-claim': (data) =>
    render(data, `Your ${data.appName} account is ready`, [
      paragraph(
        `An account was created for you on ${data.appName} (${data.account.email.address}). ` +
          'Choose your password to start using it; that also confirms your email address.',
      ),
      ...tokenBlocks(data, 'Choose your password', `Enter this token in ${data.appName} to choose your password:`),
      paragraph(`If you did not expect this account, ignore this email: nobody can use it without this ${data.url ? 'link' : 'token'}.`),
    ]),

  'password-changed': (data) => {
    const at = data.account.events.lastPasswordChangeAt;
    return render(data, `Your ${data.appName} password was changed`, [
      paragraph(
        `The password of your ${data.appName} account (${data.account.email.address}) was changed` +
          `${at ? ` on ${formatTime(at)}` : ''}. If you did this, there is nothing else to do.`,
      ),
      paragraph(
        `If this wasn't you, reset your password right away with ${FORGOT}, then check where your account is signed in.`,
      ),
    ]);
  },

  'account-deleted': (data) =>
    render(data, `Your ${data.appName} account was deleted`, [
      paragraph(
        `Your ${data.appName} account (${data.account.email.address}) has been deleted, and you can no longer sign in.`,
      ),
      paragraph(
        data.expiresInMinutes
          ? `Your personal data will be permanently removed in ${formatDuration(data.expiresInMinutes)}.`
          : 'Your personal data will be permanently removed once our retention period has passed.',
      ),
      paragraph(`If you did not delete your account, contact the ${data.appName} team as soon as possible.`),
    ]),

  'registration-attempt': (data) =>
    render(data, `Someone tried to sign up for ${data.appName} with your email address`, [
      paragraph(
        `Someone tried to create a new ${data.appName} account with ${data.account.email.address}. ` +
          'You already have an account with this address, so no new account was created.',
      ),
      paragraph(`If that was you, sign in with your existing account. If you forgot your password, reset it with ${FORGOT}.`),
      paragraph(`If it wasn't you, you can ignore this email: your account has not changed.`),
    ]),

  'one-time-code': (data) =>
    render(data, `Your ${data.appName} code`, [
      paragraph(`Use this code to confirm it's you in ${data.appName}:`),
      { type: 'code', code: data.token ?? '' },
      paragraph(
        `It expires in ${formatDuration(data.expiresInMinutes ?? 10)} and works once. Never share it: ` +
          `${data.appName} will never ask you for it.`,
      ),
      paragraph(`If you didn't ask for a code, someone may know your password: change it with ${FORGOT}.`),
    ]),

  'account-locked': (data) =>
    render(data, `Your ${data.appName} account is locked`, [
      paragraph(
        `Your ${data.appName} account (${data.account.email.address}) was locked` +
          `${data.account.state.changedAt ? ` on ${formatTime(data.account.state.changedAt)}` : ''}, ` +
          'and every device signed in to it was signed out.',
      ),
      paragraph(
        data.account.twoFactor.recoveryCodesRemaining > 0 && data.account.email.verified
          ? `To unlock it, use one of your recovery codes and choose a new password in ${data.appName}.`
          : `To unlock it, reset your password with ${FORGOT}: choosing a new password with the link we ` +
              `mail you unlocks the account (if you use an authenticator app, you will need a code from it too).`,
      ),
      paragraph(`If you did not lock it yourself, contact the ${data.appName} team.`),
    ]),

  'account-unlocked': (data) =>
    render(data, `Your ${data.appName} account was unlocked`, [
      paragraph(
        `Your ${data.appName} account (${data.account.email.address}) was unlocked and has a new password.`,
      ),
      paragraph(
        `If this wasn't you, reset your password right away with ${FORGOT} and contact the ${data.appName} team.`,
      ),
    ]),

  'security-change': (data) =>
    render(data, `A sign-in method of your ${data.appName} account changed`, [
      paragraph(
        `${data.change ?? 'A way to sign in to your account changed'} on your ${data.appName} account ` +
          `(${data.account.email.address}). If you did this, there is nothing else to do.`,
      ),
      paragraph(
        `If this wasn't you, someone may be in your account: lock it from ${data.appName}'s account page ` +
          `(or reset your password with ${FORGOT}), then check its sign-in methods and sessions.`,
      ),
    ]),

  'second-factor-failures': (data) =>
    render(data, `Someone may be trying to sign in to your ${data.appName} account`, [
      paragraph(
        `Someone got past the first step of signing in to your ${data.appName} account ` +
          `(${data.account.email.address}): your password, a passkey or a reset link, and then failed the ` +
          'second step several times.',
      ),
      paragraph(
        `If this wasn't you, your second factor kept them out, but they hold the first: change your password ` +
          `now with ${FORGOT}, and check your mailbox and devices.`,
      ),
    ]),

  'support-session': (data) =>
    render(data, `The ${data.appName} team signed in to your account`, [
      paragraph(
        `A member of the ${data.appName} team opened a support session on your account ` +
          `(${data.account.email.address}), as you allowed. It ends by itself within ` +
          `${formatDuration(data.expiresInMinutes ?? 15)}, and cannot change your password, email address or sign-in methods.`,
      ),
      paragraph(
        `If you did not expect this, contact the ${data.appName} team, and turn support access off in your account settings.`,
      ),
    ]),
};
