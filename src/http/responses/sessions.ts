import { z } from 'zod';
import type { LoginResource } from '../../core/sessions/list-logins.js';
import type { SessionResource } from '../../core/sessions/list-sessions.js';
import { component, page } from '../openapi/components.js';
import { time } from './account.js';
import type { Same } from './same.js';

/** A live session as its owner sees it. */
export const session = component(
  'Session',
  z.object({
    id: z.string(),
    createdAt: time,
    lastUsedAt: time,
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  }),
  'A live session of the account; `current` marks the one of the token that asked.',
);

/** `GET /account/sessions`: every live session, on one page. */
export const sessionList = page('SessionList', session, 'The account’s live sessions, newest first (one page: `nextCursor` is null).');

/** One login attempt of the account's history. */
export const login = component(
  'Login',
  z.object({
    id: z.string(),
    time,
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    success: z.boolean(),
    method: z.enum(['password', 'refresh', 'passkey', 'unlock', 'reset', 'support']),
    failureReason: z.string().nullable(),
    actor: z.object({ id: z.string(), ip: z.string().nullable() }).optional(),
  }),
  'A sign-in attempt, failed or not; `actor` (the administrator) only on `support` entries.',
);

/** `GET /account/logins`. */
export const loginPage = page('LoginPage', login, 'A page of the account’s login history, newest first.');

true satisfies Same<z.output<typeof session>, SessionResource>;
true satisfies Same<z.output<typeof login>, LoginResource>;
