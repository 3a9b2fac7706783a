import { z } from 'zod';

/** Bounds on every string that comes in, so a huge field is a 400 and never a slow path. */
export const email = z.string().min(1).max(320);
export const password = z.string().min(1).max(1024);
export const opaqueToken = z.string().min(1).max(4096);
const namePart = z.string().trim().max(100).nullable().optional();

export const registerBody = z.strictObject({
  email,
  password,
  name: z.strictObject({ first: namePart, last: namePart }).optional(),
});

export const loginBody = z.strictObject({
  email,
  password,
  twoFactorCode: z.string().max(64).optional(),
  twoFactorRecoveryCode: z.string().max(64).optional(),
});

export const refreshBody = z.strictObject({ refreshToken: opaqueToken });

/**
 * The body of the OAuth token endpoints (`/token/revoke`, `/token/introspect`): latchkey's JSON names, or
 * the RFC's (`token_type_hint`), with the `client_id` and `client_secret` that OAuth clients send and
 * latchkey ignores (it has no registered clients).
 */
export const oauthTokenBody = z
  .strictObject({
    token: opaqueToken,
    /** A hint only (RFC 7009 §2.1): unknown values are tolerated and every kind of token is searched. */
    tokenTypeHint: z.string().max(64).optional(),
    token_type_hint: z.string().max(64).optional(),
    client_id: z.string().max(256).optional(),
    client_secret: z.string().max(1024).optional(),
  })
  .transform(({ token, tokenTypeHint, token_type_hint }) => ({
    token,
    ...((tokenTypeHint ?? token_type_hint) !== undefined ? { tokenTypeHint: tokenTypeHint ?? token_type_hint } : {}),
  }));

export const revokeBody = oauthTokenBody;
export const introspectBody = oauthTokenBody;

/** Routes that take no input still accept `{}`. */
export const emptyBody = z.strictObject({});

export const tokenBody = z.strictObject({ token: opaqueToken });

export const forgotPasswordBody = z.strictObject({ email });

export const resetPasswordBody = z.strictObject({
  token: opaqueToken,
  password,
  twoFactorCode: z.string().max(64).optional(),
});

export const changePasswordBody = z.strictObject({ current: password, new: password });

/** The merge form of `PATCH /account`. */
export const profileBody = z.strictObject({
  name: z.strictObject({ first: namePart, last: namePart }).optional(),
  allowSupportLogin: z.boolean().optional(),
});

/** The RFC 6902 form of `PATCH /account` (`application/json-patch+json`); paths are checked by the core. */
export const jsonPatchBody = z
  .array(
    z.strictObject({
      op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
      path: z.string().max(200),
      from: z.string().max(200).optional(),
      value: z.unknown().optional(),
    }),
  )
  .max(20);

/** An RFC 6902 JSON Patch as {@link jsonPatchBody} checks it: what a `jsonPatch` route's handler may get. */
export type JsonPatch = z.output<typeof jsonPatchBody>;

export const deleteAccountBody = z.strictObject({ password: password.optional() });

/** The merge form of `PATCH /accounts/{id}` (an administrator's update); the core checks the values. */
/**
 * `POST /accounts/import`: 1 to 1000 rows. Each row is checked on its own by the operation, so one bad
 * row fails alone (in `failed`) instead of the whole body.
 */
export const importAccountsBody = z.array(z.unknown()).min(1).max(1000);

export const adminAccountBody = z.strictObject({
  name: z.strictObject({ first: namePart, last: namePart }).optional(),
  roles: z.array(z.string().max(64)).max(32).optional(),
  email: email.optional(),
});

/** The body of a factor change that takes no other input: the password while no second factor is on. */
export const proofBody = z.strictObject({ password: password.optional() });

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

/**
 * `POST /account/two-factor/totp/verify`: a code of the pending authenticator secret, and the password
 * when the account has no second factor yet (otherwise the `x-otp` header proves presence).
 */
export const confirmTotpBody = z.strictObject({ code: z.string().min(1).max(64), password: password.optional() });

/** `PUT /account/recovery-codes`: the password, when the account has no second factor (else `x-otp`). */
export const regenerateRecoveryCodesBody = z.strictObject({ password: password.optional() });

/** A code channel of `POST /account/otp/send` and `/account/otp/verify`. */
export const otpChannel = z.enum(['email', 'sms']);

/** `POST /account/phone`: as typed; `country` (ISO 3166-1 alpha-2) reads a national number. */
export const addPhoneBody = z.strictObject({
  phone: z.string().min(1).max(64),
  country: z.string().min(1).max(8).optional(),
});

export const sendOtpBody = z.strictObject({ channel: otpChannel });

/** `POST /account/otp/verify`: the channel's code, and the password while no second factor is enabled. */
export const verifyOtpBody = z.strictObject({
  channel: otpChannel,
  code: z.string().min(1).max(64),
  password: password.optional(),
});

/** `POST /login/two-factor`: the challenge with a code, or with `method` alone to have a code sent. */
export const twoFactorLoginBody = z.strictObject({
  challenge: opaqueToken,
  code: z.string().min(1).max(64).optional(),
  recoveryCode: z.string().min(1).max(64).optional(),
  method: z.enum(['totp', 'email', 'sms']).optional(),
});

/** `POST /account/unlock`: a recovery code and the new password. */
export const unlockBody = z.strictObject({
  email,
  recoveryCode: z.string().min(1).max(64),
  newPassword: password,
});

/** Base64url, as WebAuthn's JSON serialisation writes binary fields (padding tolerated). */
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/**
 * The outer shape shared by `PublicKeyCredential.toJSON()` results. Strings are bounded (credential ids
 * are at most 1023 bytes; ML-DSA signatures are the largest field a login sends); the verifier checks
 * the contents.
 */
const passkeyCredential = <Response extends z.ZodType>(response: Response) =>
  z.strictObject({
    id: base64url(1400),
    rawId: base64url(1400),
    type: z.literal('public-key'),
    response,
    clientExtensionResults: z.looseObject({}),
    // Some browsers' `toJSON()` write null for an unknown attachment.
    authenticatorAttachment: z
      .enum(['platform', 'cross-platform'])
      .nullish()
      .transform((value) => value ?? undefined),
  });

/**
 * `POST /account/webauthn/register/verify`: the answer to the creation options, and the password when
 * the account has no second factor (otherwise the `x-otp` header proves presence).
 */
export const webauthnRegistrationBody = z.strictObject({
  credential: passkeyCredential(
    z.looseObject({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(32768),
      transports: z.array(z.string().max(32)).max(10).optional(),
    }),
  ),
  name: z.string().max(100).optional(),
  password: password.optional(),
});

/** `PATCH /account/webauthn/credentials/{id}`. */
export const webauthnRenameBody = z.strictObject({ name: z.string().max(100) });

/** `POST /webauthn/login/options`: email-first with `email`, discoverable without. */
export const webauthnLoginOptionsBody = z.strictObject({ email: email.optional() });

/** `POST /webauthn/login/verify`: the answer to the request options (and optionally a second factor). */
export const webauthnLoginBody = z.strictObject({
  credential: passkeyCredential(
    z.looseObject({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(4096),
      signature: base64url(8192),
      userHandle: z
        .string()
        .max(256)
        .nullish()
        .transform((value) => value ?? undefined),
    }),
  ),
  twoFactorCode: z.string().max(64).optional(),
  twoFactorRecoveryCode: z.string().max(64).optional(),
});

/** An ISO 8601 date or date-time (with `Z` or an offset), as a `Date`. */
const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => new Date(value));

/**
 * `GET /accounts`: the search of the group's accounts. `restrictEmail` is a comma-separated list of
 * domains (at most 50); `verified` is `true` or `false`. Unknown parameters are refused.
 */
export const accountSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(320).optional(),
  restrictEmail: z
    .string()
    .max(4096)
    .transform((value) => value.split(',').map((domain) => domain.trim()).filter((domain) => domain !== ''))
    .pipe(z.array(z.string().max(253)).min(1).max(50))
    .optional(),
  status: z.enum(['active', 'locked', 'deleted']).optional(),
  role: z.string().min(1).max(64).optional(),
  verified: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  createdAfter: isoTime.optional(),
  createdBefore: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
  orderBy: z.enum(['createdAt', 'email']).default('createdAt'),
});
