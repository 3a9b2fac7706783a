import type { MailTemplate, MailTemplates } from '../../src/index.js';
import { escapeHtml } from '../../src/core/mail/escape-html.js';
import { defaultTemplates } from '../../src/core/mail/templates.js';

/** latchkey's `email` option as the demo sets it. */
export interface ExampleEmailOptions {
  appName: string;
  verificationUrl: string;
  resetUrl: string;
  templates: MailTemplates;
}

/** What {@link exampleEmailOptions} needs to know of how the demo runs. */
export interface ExampleEmailLinkOptions {
  /**
   * Multi-group mode (`GROUPS=1`, see `exampleGroups`): the links also name the account's group
   * (`#group={group}&token={token}`; latchkey fills `{group}` in), so the web app calls that group's routes.
   */
  groups?: boolean;
}

/**
 * The demo's `email` option: verification and reset mails (and the claim mails of imported accounts
 * and new group owners, which link to the reset page) link to the web app at `origin`, with the
 * token in the URL's fragment (`/verify-email#token=…`), never in its query string. A browser never
 * sends the fragment to a server, so the token stays out of access logs and proxies, and out of the
 * `Referer` header of whatever the page loads; the page reads it, then drops it from the address bar.
 * The mails also keep the `Token: …` line under the link, for the README's curl walk-through (its
 * `mailtoken` helper reads that line from `GET /dev/outbox`) and for pasting into the web app.
 *
 * @example
 * ```ts
 * createAuth({ ...options, email: exampleEmailOptions('http://localhost:3000', 'latchkey demo') })
 * // verification mails link to http://localhost:3000/verify-email#token=<43 characters>
 * exampleEmailOptions('http://localhost:3000', 'latchkey demo', { groups: true })
 * // ... to http://localhost:3000/verify-email#group=acme&token=<43 characters> for an account of acme
 * ```
 */
export function exampleEmailOptions(origin: string, appName: string, options: ExampleEmailLinkOptions = {}): ExampleEmailOptions {
  const fragment = options.groups ? 'group={group}&token={token}' : 'token={token}';
  return {
    appName,
    verificationUrl: `${origin}/verify-email#${fragment}`,
    resetUrl: `${origin}/reset-password#${fragment}`,
    templates: {
      'email-verification': withTokenLine(defaultTemplates['email-verification']),
      'password-reset': withTokenLine(defaultTemplates['password-reset']),
      'account-claim': withTokenLine(defaultTemplates['account-claim']),
    },
  };
}

/**
 * latchkey's built-in template, which shows either the link or the token, with the token added under
 * the link (before the signature, the last paragraph of the built-in mails).
 */
function withTokenLine(template: MailTemplate): MailTemplate {
  return (data) => {
    const mail = template(data);
    if (!data.url || !data.token) return mail;
    const intro = `Or paste this token into ${data.appName}:`;
    const signature = `\n\nThe ${data.appName} team\n`;
    const addition = `\n\n${intro}\n\nToken: ${data.token}`;
    const text = mail.text.endsWith(signature)
      ? mail.text.slice(0, -signature.length) + addition + signature
      : `${mail.text}${addition.slice(2)}\n`;
    const paragraph =
      `<p style="margin:0 0 16px;font-size:15px;line-height:1.5;">${escapeHtml(intro)}<br>` +
      `Token: <code style="font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all;">${escapeHtml(data.token)}</code></p>`;
    const at = mail.html.lastIndexOf('<p ');
    const html = at === -1 ? mail.html + paragraph : mail.html.slice(0, at) + paragraph + mail.html.slice(at);
    return { ...mail, text, html };
  };
}
