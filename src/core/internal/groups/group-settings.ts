import { z } from 'zod';
import { AuthError } from '../../errors.js';
import type { ParsedOptions } from '../../options.js';
import type { GroupSettings } from '../../ports.js';

const DAY = 86_400;

/**
 * The bounds of each setting: those of the matching `createAuth` option (`accessTokenTtl`,
 * `session.idleTimeout`, `password.minLength`). `passwordMinLength` is further held between the app's
 * own `password.minLength` and `password.maxLength` by {@link checkGroupSettings}.
 */
const settingValues = {
  allowRegistration: z.boolean(),
  requireEmailVerification: z.boolean(),
  requireTwoFactor: z.boolean(),
  passwordMinLength: z.number().int().min(8).max(1024),
  accessTokenTtl: z.number().int().min(30).max(DAY),
  sessionIdleTimeout: z.number().int().min(60).max(400 * DAY),
};

/** The names of the settings a group may override. */
export const GROUP_SETTING_KEYS = Object.keys(settingValues) as (keyof GroupSettings)[];

/**
 * A change to a group's settings, as `PATCH /group` takes it (JSON merge): a value sets the override,
 * `null` removes it (the app's option applies again), an absent key leaves it. Unknown keys are refused.
 */
export const groupSettingsPatchSchema = z.strictObject({
  allowRegistration: settingValues.allowRegistration.nullable().optional(),
  requireEmailVerification: settingValues.requireEmailVerification.nullable().optional(),
  requireTwoFactor: settingValues.requireTwoFactor.nullable().optional(),
  passwordMinLength: settingValues.passwordMinLength.nullable().optional(),
  accessTokenTtl: settingValues.accessTokenTtl.nullable().optional(),
  sessionIdleTimeout: settingValues.sessionIdleTimeout.nullable().optional(),
});

/**
 * A change to a group's settings (JSON merge): a value sets the override, `null` removes it, an absent
 * key leaves it.
 */
export type GroupSettingsPatch = { [K in keyof GroupSettings]?: GroupSettings[K] | null };

/**
 * The settings after `patch` (JSON merge over `current`), validated: each value within its bounds, and
 * `passwordMinLength` within the app's `password.minLength`..`password.maxLength`.
 *
 * @throws AuthError `validation_failed` with a detail per bad key (`settings.<key>`)
 */
export function mergeGroupSettings(options: ParsedOptions, current: GroupSettings, patch: GroupSettingsPatch): GroupSettings {
  const parsed = groupSettingsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    throw new AuthError('validation_failed', 'The group settings are not valid.', {
      details: parsed.error.issues.map((issue) => ({
        path: ['settings', ...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.'),
        message: issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message,
      })),
    });
  }
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const settings = next as GroupSettings;
  checkGroupSettings(options, settings);
  return settings;
}

/**
 * Checks what depends on the app's options: a group may ask for longer passwords than the app, never
 * shorter ones, and never longer than the app's maximum.
 *
 * @throws AuthError `validation_failed` (detail `settings.passwordMinLength`)
 */
export function checkGroupSettings(options: ParsedOptions, settings: GroupSettings): void {
  const min = settings.passwordMinLength;
  if (min === undefined) return;
  const { minLength, maxLength } = options.password;
  if (min < minLength || min > maxLength) {
    const message = `must be between the app's password.minLength (${minLength}) and password.maxLength (${maxLength})`;
    throw new AuthError('validation_failed', 'The group settings are not valid.', {
      details: [{ path: 'settings.passwordMinLength', message }],
    });
  }
}
