import QRCode from 'qrcode';
import { generateSecret } from 'otplib';
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { TOTP_SETTINGS } from '../internal/totp/totp-code.js';
import { groupOf } from '../lib/group-of.js';

/** What `POST /account/two-factor/totp` answers: the only time the secret leaves latchkey. */
export interface TotpEnrolment {
  /** The shared secret, base32 (160 bits), for typing into an app by hand. */
  secret: string;
  /** `otpauth://totp/<issuer>:<email>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30` */
  uri: string;
  /** The URI as a QR code, an SVG document (`<svg …>`), ready to inline in a page. */
  qrCodeSvg: string;
}

/** 20 bytes: the HMAC-SHA-1 key length RFC 4226 recommends. */
const SECRET_BYTES = 20;

/** The `enrolTotp` operation of `Auth`: the one place its documentation lives. */
export const enrolTotpOperation = {
  /**
   * Starts (or restarts) setting up an authenticator app. A fresh 160-bit secret is sealed and stored as
   * the account's *pending* secret, replacing any earlier pending one; it becomes the account's TOTP
   * secret only when `confirmTotp` receives a code from it. Until then an authenticator already enabled
   * keeps working, so re-enrolling a new phone cannot lock the owner out halfway. The account resource
   * does not change (not even `updatedAt`): nothing visible happened yet.
   *
   * The issuer shown in the app is `options.email.appName`, else `options.issuer`.
   *
   * @throws AuthError `not_found`, `account_locked`
   * @example
   * ```ts
   * const { secret, uri, qrCodeSvg } = await auth.enrolTotp({ group, accountId: claims.sub })
   * ```
   */
  enrolTotp,
};

/** See {@link enrolTotpOperation}. */
export async function enrolTotp(ctx: AuthContext, input: { group?: string | undefined; accountId: string }): Promise<TotpEnrolment> {
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  const secret = generateSecret({ length: SECRET_BYTES });
  const issuer = ctx.options.email.appName ?? ctx.options.issuer;
  const uri = totpUri({ issuer, accountName: account.email, secret });

  const sealed = await ctx.accountSecrets.seal(secret);
  const updated = await ctx.storage.accounts.update(account.group, account.id, { totpPendingSecretSealed: sealed });
  if (!updated) throw new AuthError('not_found', 'No such account.');

  const qrCodeSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, uri, qrCodeSvg };
}

/**
 * The Key Uri Format of Google Authenticator, with every parameter spelled out (some apps ignore
 * defaults they do not see): issuer both in the label and as a parameter.
 */
export function totpUri(input: { issuer: string; accountName: string; secret: string }): string {
  const issuer = encodeURIComponent(input.issuer);
  const label = `${issuer}:${encodeURIComponent(input.accountName)}`;
  const { algorithm, digits, period } = TOTP_SETTINGS;
  return (
    `otpauth://totp/${label}?secret=${input.secret}&issuer=${issuer}` +
    `&algorithm=${algorithm.toUpperCase()}&digits=${digits}&period=${period}`
  );
}
