/** The records of the auth groups (tenants) and their settings. */

/**
 * A group's own policy over the app's options (`PATCH /group` `settings`). Every key is optional: an
 * absent key means the app's option applies. Stored as JSON text; latchkey validates the values (with
 * the bounds of the matching `createAuth` options) before it stores them.
 */
export interface GroupSettings {
  /** false closes self-registration (`registration_closed`), like `locked`. App default: open. */
  allowRegistration?: boolean;
  /** Over the `requireEmailVerification` option. */
  requireEmailVerification?: boolean;
  /**
   * Accounts must set up a second factor: until one is, their tokens reach only the setup routes
   * (`two_factor_setup_required` elsewhere). App default: false.
   */
  requireTwoFactor?: boolean;
  /** Over `password.minLength`; never below it, nor above `password.maxLength`. */
  passwordMinLength?: number;
  /** Over the `accessTokenTtl` option, in seconds (30 to 86,400). */
  accessTokenTtl?: number;
  /** Over `session.idleTimeout`, in seconds (60 to 400 days). */
  sessionIdleTimeout?: number;
}

/**
 * An auth group (a tenant): accounts, sessions and signing keys of one group are invisible to every
 * other. The `default` group is created on first use; any other comes from `auth.createGroup`.
 */
export interface GroupRecord {
  /** A lower-case slug (`acme`): the group's path segment in multi-group mode. Never changes. */
  id: string;
  /** A display name; latchkey never reads it. */
  name: string | null;
  /** A locked group refuses self-registration (`registration_closed`). */
  locked: boolean;
  /**
   * The account that owns the group: it cannot be deleted while it does (`conflict`). Set by an
   * administrator (`PATCH /group`, `auth.updateGroup`) to an account of the group, or by
   * `auth.createGroup({ ownerEmail })`; null for none.
   */
  ownerId: string | null;
  /** The group's own policy over the app's options; `{}` when it has none. */
  settings: GroupSettings;
  createdAt: Date;
  updatedAt: Date;
}
