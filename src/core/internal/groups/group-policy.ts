import type { AuthContext } from '../../context.js';
import type { ParsedOptions } from '../../options.js';
import type { GroupRecord } from '../../ports.js';
import type { PasswordLengthPolicy } from '../accounts/password-policy.js';
import { cachedGroup, requireGroup } from './require-group.js';

/**
 * What a group's accounts live under: the app's options with the group's own settings over them. The
 * one place a group's effective policy is decided ({@link resolveGroupPolicy}).
 */
export interface GroupPolicy {
  /** Self-registration is open: the group is not locked and `allowRegistration` is not false. */
  registrationOpen: boolean;
  requireEmailVerification: boolean;
  requireTwoFactor: boolean;
  /** The length window of new passwords: the group may raise the minimum, never lower it. */
  password: PasswordLengthPolicy;
  /** Seconds. */
  accessTokenTtl: number;
  /** Seconds. */
  sessionIdleTimeout: number;
}

/** The effective policy of `group` under the app's `options`. */
export function resolveGroupPolicy(options: ParsedOptions, group: GroupRecord): GroupPolicy {
  const settings = group.settings ?? {};
  const { minLength, maxLength } = options.password;
  return {
    registrationOpen: !group.locked && settings.allowRegistration !== false,
    requireEmailVerification: settings.requireEmailVerification ?? options.requireEmailVerification,
    requireTwoFactor: settings.requireTwoFactor ?? false,
    // An override below the app's minimum (the app raised it later) counts as the app's minimum.
    password: { minLength: Math.min(maxLength, Math.max(minLength, settings.passwordMinLength ?? minLength)), maxLength },
    accessTokenTtl: settings.accessTokenTtl ?? options.accessTokenTtl,
    sessionIdleTimeout: settings.sessionIdleTimeout ?? options.session.idleTimeout,
  };
}

/**
 * The group's effective policy, from the cache (no storage read on the hot path while fresh).
 *
 * @throws AuthError `not_found` for an unknown group
 */
export async function groupPolicy(ctx: AuthContext, id: string): Promise<GroupPolicy> {
  return resolveGroupPolicy(ctx.options, await cachedGroup(ctx, id));
}

/**
 * The group's effective policy read from storage now, for decisions that must not lag another
 * instance's change (registration: a group closed or removed a moment ago takes no new account).
 *
 * @throws AuthError `not_found` for an unknown group
 */
export async function freshGroupPolicy(ctx: AuthContext, id: string): Promise<{ group: GroupRecord; policy: GroupPolicy }> {
  const group = await requireGroup(ctx, id);
  ctx.groupCache.set(group);
  return { group, policy: resolveGroupPolicy(ctx.options, group) };
}
