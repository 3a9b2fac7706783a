import { z } from 'zod';
import type { AuthErrorCode, AuthErrorPayloads, ErrorDetail } from '../../core/errors.js';
import { component } from '../openapi/components.js';
import { STATUS_BY_CODE } from '../status.js';
import { twoFactorMethod } from './account.js';
import type { Same } from './same.js';

/** Every error code, in the order of the status table. */
export const errorCode = z.enum(Object.keys(STATUS_BY_CODE) as [AuthErrorCode, ...AuthErrorCode[]]);

/** The body of every error answer (api.md, "Errors"). */
export const errorBody = component(
  'Error',
  z.object({
    error: z.object({
      code: errorCode,
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
    methods: z.array(twoFactorMethod).optional(),
    challenge: z.string().optional(),
  }),
  'An error: switch on `error.code`, never on `message` (for people). `details` lists validation problems by ' +
    'field; `methods` and `challenge` come with `two_factor_required`.',
);

/** The body of an error on the OAuth routes (RFC 6749 §5.2). */
export const oauthErrorBody = component(
  'OAuthError',
  z.object({ error: z.string(), error_description: z.string() }),
  'An error of an OAuth route (RFC 6749 §5.2): `error` is the OAuth code (`invalid_request`, `invalid_token` …) ' +
    'or latchkey’s own code where OAuth has none.',
);

type ErrorBody = z.output<typeof errorBody>;
true satisfies Same<ErrorBody['error']['code'], AuthErrorCode>;
true satisfies Same<NonNullable<ErrorBody['error']['details']>[number], ErrorDetail>;
true satisfies Same<Pick<ErrorBody, 'methods' | 'challenge'>, Partial<AuthErrorPayloads['two_factor_required']['extra']>>;
