import { z } from 'zod';
import type { DeletionJob } from '../../core/accounts/delete-account.js';
import type { AccountResource } from '../../core/internal/accounts/account-resource.js';
import type { VerifiedChannel } from '../../core/otp/verify-channel.js';
import { component, page } from '../openapi/components.js';
import type { Same } from './same.js';

/** An ISO 8601 time in UTC, as every answer writes times (`2030-01-01T00:00:00.000Z`). */
export const time = z.iso.datetime();

/** A second factor, as the account and `two_factor_required` list them. */
export const twoFactorMethod = z.enum(['totp', 'email', 'sms', 'webauthn']);

/** The account resource: what every answer about an account shows (api.md, "The account resource"). */
export const account = component(
  'Account',
  z.object({
    id: z.string(),
    group: z.string(),
    name: z.object({ first: z.string().nullable(), last: z.string().nullable() }),
    email: z.object({ address: z.string(), verified: z.boolean(), verifiedAt: time.nullable(), addedAt: time }),
    phone: z.object({ number: z.string().nullable(), verified: z.boolean(), verifiedAt: time.nullable() }),
    twoFactor: z.object({ enabled: z.boolean(), methods: z.array(z.string()), recoveryCodesRemaining: z.number().int() }),
    roles: z.array(z.string()),
    allowSupportLogin: z.boolean(),
    state: z.object({ status: z.enum(['active', 'locked', 'deleted']), changedAt: time, reason: z.string().nullable() }),
    events: z.object({
      createdAt: time,
      updatedAt: time,
      deletedAt: time.nullable(),
      lastLoginAt: time.nullable(),
      lastPasswordChangeAt: time.nullable(),
    }),
    lastLoginDevice: z.string().nullable(),
  }),
  'An account. Secrets never appear in it; the phone number is obfuscated.',
);

/** `GET /accounts`: a page of the search. */
export const accountPage = page('AccountPage', account, 'A page of accounts.');

/** `POST /account/otp/verify`: the account, and the recovery codes issued with a first factor. */
export const verifiedChannel = component(
  'VerifiedChannel',
  account.extend({ recoveryCodes: z.array(z.string()).optional() }),
  'The account, with `recoveryCodes` (shown once) when the account had none before.',
);

/** `DELETE /account`: the descriptor of the deletion job. */
export const deletionJob = component(
  'DeletionJob',
  z.object({
    action: z.literal('delete'),
    job: z.object({
      id: z.string(),
      accepted: z.boolean(),
      queue: z.string(),
      schedule: time,
      tasks: z.array(
        z.object({
          caption: z.string(),
          header: z.string(),
          steps: z.array(
            z.object({ caption: z.string(), description: z.string(), started: time.nullable(), completed: time.nullable() }),
          ),
        }),
      ),
    }),
  }),
  'The deletion of the account: done at once for its sessions, scheduled for its personal data.',
);

/** `POST /password/reset`. */
export const success = component('Success', z.object({ success: z.literal(true) }), 'The change is done.');

true satisfies Same<z.output<typeof account>, AccountResource>;
true satisfies Same<z.output<typeof verifiedChannel>, VerifiedChannel>;
true satisfies Same<z.output<typeof deletionJob>, DeletionJob>;
