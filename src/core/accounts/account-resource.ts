import type { AccountRecord, AccountStatus } from '../ports.js';

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
    phone: { number: null, verified: false, verifiedAt: null },
    twoFactor: { enabled: false, methods: [], recoveryCodesRemaining: 0 },
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
