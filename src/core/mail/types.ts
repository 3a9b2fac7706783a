import type { AccountResource } from '../internal/accounts/account-resource.js';
import type { MailKind } from '../ports.js';

/** What a template receives. `token` and `url` are present for the kinds that carry a link. */
export interface MailTemplateData {
  kind: MailKind;
  /** The account the mail is about (for `registration-attempt`: the existing account). */
  account: AccountResource;
  /** The app's name as mails show it (the `issuer` option unless `email.appName` is set). */
  appName: string;
  /** The one-time token (verification, reset), or the 6-digit code of a `one-time-code` mail. */
  token?: string;
  /** The link built from `email.verificationUrl` / `email.resetUrl`, when configured. */
  url?: string;
  /** Minutes until the token expires. */
  expiresInMinutes?: number;
  /** For `security-change`: what changed, as a sentence without a full stop (`A passkey was added`). */
  change?: string;
}

/**
 * What a {@link MailTemplate} returns: the subject and both bodies of one mail. latchkey adds the
 * kind, sender and recipient and hands the result to the mailer.
 */
export interface RenderedMail {
  subject: string;
  /** Plain-text body, for clients that show no HTML; it should carry the same link or code. */
  text: string;
  /** HTML body; values interpolated into it must be escaped by the template. */
  html: string;
}

/** Renders one kind of mail. */
export type MailTemplate = (data: MailTemplateData) => RenderedMail;

/** Per-kind overrides of the built-in templates. */
export type MailTemplates = Partial<Record<MailKind, MailTemplate>>;
