import { z } from 'zod';
import type { ImportAccountsResult } from '../../core/accounts/import-accounts.js';
import type { AuditEntryResource } from '../../core/audit/list-audit-log.js';
import type { GroupResource } from '../../core/internal/groups/group-resource.js';
import { component, page } from '../openapi/components.js';
import { account, time } from './account.js';
import { errorCode } from './errors.js';
import type { Same } from './same.js';

/** `POST /accounts/import`. */
export const importResult = component(
  'ImportResult',
  z.object({
    attempted: z.number().int(),
    ok: z.number().int(),
    failed: z.array(
      z.object({
        index: z.number().int(),
        email: z.string().nullable(),
        error: z.object({ code: errorCode, message: z.string() }),
      }),
    ),
    success: z.array(account),
  }),
  'How an import went: each row succeeds or fails on its own; `failed` says why, by row index.',
);

/** One entry of the audit log. */
export const auditEntry = component(
  'AuditEntry',
  z.object({
    id: z.string(),
    time,
    actor: z.object({ id: z.string().nullable(), ip: z.string().nullable() }),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])).nullable(),
  }),
  'An administrator’s action: who (a null `actor.id` is the app or the command line), what, on what, when.',
);

/** `GET /audit`. */
export const auditPage = page('AuditPage', auditEntry, 'A page of the group’s audit log, newest first.');

/** A group as the admin routes show it. */
export const group = component(
  'Group',
  z.object({
    id: z.string(),
    name: z.string().nullable(),
    locked: z.boolean(),
    ownerId: z.string().nullable(),
    settings: z.object({
      allowRegistration: z.boolean().optional(),
      requireEmailVerification: z.boolean().optional(),
      requireTwoFactor: z.boolean().optional(),
      passwordMinLength: z.number().int().optional(),
      accessTokenTtl: z.number().int().optional(),
      sessionIdleTimeout: z.number().int().optional(),
    }),
    createdAt: time,
    updatedAt: time,
  }),
  'An auth group (a tenant); `settings` holds its own policy over the app’s options (an absent key follows the app).',
);

/** `GET /groups`. */
export const groupPage = page('GroupPage', group, 'A page of groups.');

true satisfies Same<z.output<typeof importResult>, ImportAccountsResult>;
true satisfies Same<z.output<typeof auditEntry>, AuditEntryResource>;
true satisfies Same<z.output<typeof group>, GroupResource>;
