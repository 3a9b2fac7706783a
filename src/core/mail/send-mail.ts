import type { AccountResource } from '../internal/accounts/account-resource.js';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { MailKind } from '../ports.js';
import { defaultTemplates } from './templates.js';

export interface SendMailInput {
  kind: MailKind;
  to: string;
  account: AccountResource;
  token?: string;
  /** The link template (`email.verificationUrl` / `email.resetUrl`) to put the token (and `{group}`) in. */
  linkTemplate?: string | undefined;
  expiresInMinutes?: number;
  /** For `security-change`: what changed (`A passkey was added`). */
  change?: string;
}

/**
 * Renders a mail (the app's template for its kind, else the built-in one) and hands it to the mailer.
 * A failure is logged (kind only: never the address or the token) and thrown as
 * `mail_delivery_failed`, so flows that depend on the mail can say so and flows that don't can log
 * and go on.
 *
 * @throws AuthError `mail_delivery_failed`
 */
export async function sendMail(ctx: AuthContext, input: SendMailInput): Promise<void> {
  const { email } = ctx.options;
  const template = email.templates?.[input.kind] ?? defaultTemplates[input.kind];
  const url =
    input.token && input.linkTemplate
      ? input.linkTemplate
          .replaceAll('{token}', encodeURIComponent(input.token))
          .replaceAll('{group}', encodeURIComponent(input.account.group))
      : undefined;
  const rendered = template({
    kind: input.kind,
    account: input.account,
    appName: email.appName ?? ctx.options.issuer,
    ...(input.token ? { token: input.token } : {}),
    ...(url ? { url } : {}),
    ...(input.expiresInMinutes ? { expiresInMinutes: input.expiresInMinutes } : {}),
    ...(input.change ? { change: input.change } : {}),
  });
  try {
    await ctx.mailer.send({ kind: input.kind, ...(email.from ? { from: email.from } : {}), to: input.to, ...rendered });
  } catch (error) {
    ctx.logger.error('mail delivery failed', {
      kind: input.kind,
      error: error instanceof Error ? error.message : String(error),
    });
    throw new AuthError('mail_delivery_failed', 'The email could not be sent. Try again later.', { cause: error });
  }
}

/** Sends a mail whose failure must not fail the flow that sent it (it is logged by {@link sendMail}). */
export function sendMailInBackground(ctx: AuthContext, input: SendMailInput): Promise<void> {
  return sendMail(ctx, input).catch(() => undefined);
}
