import type { AccountRecord, AccountStatus } from '../../ports.js';

/** The account as every API response shows it. Secrets never appear here. */
export interface AccountResource {
  id: string;
  group: string;
  name: { first: string | null; last: string | null };
  email: { address: string; verified: boolean; verifiedAt: string | null; addedAt: string };
  phone: { number: string | null; verified: boolean; verifiedAt: string | null };
  twoFactor: { enabled: boolean; methods: string[]; recoveryCodesRemaining: number };
  roles: string[];
  allowSupportLogin: boolean;
  state: { status: AccountStatus; changedAt: string; reason: string | null };
  events: {
    createdAt: string;
    updatedAt: string;
    deletedAt: string | null;
    lastLoginAt: string | null;
    lastPasswordChangeAt: string | null;
  };
  lastLoginDevice: string | null;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The phone and second-factor fields of a new account: none set up. */
export const NO_SECOND_FACTOR = {
  phoneNumber: null,
  phoneVerifiedAt: null,
  totpSecretSealed: null,
  totpPendingSecretSealed: null,
  totpLastUsedStep: null,
  totpEnabledAt: null,
  emailOtpEnabledAt: null,
  smsOtpEnabledAt: null,
  recoveryCodesRemaining: 0,
} as const satisfies Partial<AccountRecord>;

/**
 * A second factor, as `AccountResource.twoFactor.methods` and a `two_factor_required` error list the
 * enabled ones: an authenticator app (`totp`), or one-time codes sent by `email` or `sms`. `webauthn` is
 * reserved; latchkey lists no passkey as a second factor yet.
 */
export type TwoFactorMethod = 'totp' | 'email' | 'sms' | 'webauthn';

/** The second factors an account has enabled, in a stable order. */
export function twoFactorMethods(account: AccountRecord): TwoFactorMethod[] {
  const methods: TwoFactorMethod[] = [];
  if (account.totpSecretSealed) methods.push('totp');
  if (account.emailOtpEnabledAt) methods.push('email');
  if (account.smsOtpEnabledAt && account.phoneNumber && account.phoneVerifiedAt) methods.push('sms');
  return methods;
}

/** `+447700900123` → `+44*******23`: enough to recognise one's own number, not to call it. */
export function obfuscatePhone(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  if (digits.length <= 4) return '+' + '*'.repeat(digits.length);
  return `+${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** Renders a stored account as the public resource. */
export function toAccountResource(account: AccountRecord): AccountResource {
  return {
    id: account.id,
    group: account.group,
    name: { first: account.firstName, last: account.lastName },
    email: {
      address: account.email,
      verified: account.emailVerifiedAt !== null,
      verifiedAt: iso(account.emailVerifiedAt),
      addedAt: account.emailAddedAt.toISOString(),
    },
    phone: {
      number: account.phoneNumber ? obfuscatePhone(account.phoneNumber) : null,
      verified: account.phoneVerifiedAt !== null,
      verifiedAt: iso(account.phoneVerifiedAt),
    },
    twoFactor: {
      enabled: twoFactorMethods(account).length > 0,
      methods: twoFactorMethods(account),
      recoveryCodesRemaining: account.recoveryCodesRemaining,
    },
    roles: [...account.roles],
    allowSupportLogin: account.allowSupportLogin,
    state: { status: account.status, changedAt: account.statusChangedAt.toISOString(), reason: account.statusReason },
    events: {
      createdAt: account.createdAt.toISOString(),
      updatedAt: account.updatedAt.toISOString(),
      deletedAt: iso(account.deletedAt),
      lastLoginAt: iso(account.lastLoginAt),
      lastPasswordChangeAt: iso(account.lastPasswordChangeAt),
    },
    lastLoginDevice: account.lastLoginDevice,
  };
}
