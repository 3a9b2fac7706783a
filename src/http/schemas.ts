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

export const revokeBody = z.strictObject({
  token: opaqueToken,
  /** A hint only (RFC 7009 §2.1): unknown values are tolerated and every kind of token is searched. */
  tokenTypeHint: z.string().max(64).optional(),
});

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

export const deleteAccountBody = z.strictObject({ password: password.optional() });

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

/** `POST /account/two-factor/totp/verify`: a code of the pending authenticator secret. */
export const confirmTotpBody = z.strictObject({ code: z.string().min(1).max(64) });

/** `PUT /account/recovery-codes`: the password, when no `x-otp` header proves presence. */
export const regenerateRecoveryCodesBody = z.strictObject({ password: password.optional() });

/** A code channel of `POST /account/otp/send` and `/account/otp/verify`. */
export const otpChannel = z.enum(['email', 'sms']);

/** `POST /account/phone`: as typed; `country` (ISO 3166-1 alpha-2) reads a national number. */
export const addPhoneBody = z.strictObject({
  phone: z.string().min(1).max(64),
  country: z.string().min(1).max(8).optional(),
});

export const sendOtpBody = z.strictObject({ channel: otpChannel });

export const verifyOtpBody = z.strictObject({ channel: otpChannel, code: z.string().min(1).max(64) });

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
