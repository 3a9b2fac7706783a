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
