import { twoFactorMethods } from '../accounts/account-resource.js';
import type { AccountRecord, OtpChannel } from '../../ports.js';

/** The code channels the account has enabled as second factors. */
export function enabledOtpChannels(account: AccountRecord): OtpChannel[] {
  return twoFactorMethods(account).filter((m): m is OtpChannel => m === 'email' || m === 'sms');
}
