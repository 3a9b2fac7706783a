import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext } from '../../context.js';
import { sendMailInBackground } from '../../mail/send-mail.js';
import type { AccountRecord } from '../../ports.js';

/**
 * Mails the owner that a way to sign in changed (`A passkey was added`), in the background: a stolen
 * token or a phished password that changes a factor must not go unnoticed. The mail never says what the
 * new factor is beyond its kind.
 */
export function notifyFactorChange(ctx: AuthContext, account: AccountRecord, change: string): void {
  void sendMailInBackground(ctx, {
    kind: 'security-change',
    to: account.email,
    account: toAccountResource(account),
    change,
  });
}
