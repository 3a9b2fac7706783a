/**
 * The areas of the HTTP API, as the OpenAPI document groups its operations: each route names its own
 * (`tags` in `src/http/routes/*.ts`), and the document lists the ones it uses, in this order, with
 * these descriptions.
 *
 * @example
 * ```ts
 * TAGS['Sign-in'] // 'Registration, login, tokens and the public signing keys.'
 * ```
 */
export const TAGS = {
  'Sign-in': 'Registration, login, tokens and the public signing keys.',
  Account: 'The signed-in account: profile, email verification, password, deletion, login history, panic lock.',
  Sessions: 'The signed-in account’s sessions: list and revoke.',
  'Two-factor': 'Authenticator apps (TOTP), recovery codes, a phone, and codes sent by email or SMS.',
  Passkeys: 'WebAuthn passkeys: registration, the account’s credentials, and sign-in. Served only when the app configures passkeys.',
  Administration: 'The group’s accounts and audit log, for accounts with the `admin` role in the group.',
  Groups: 'The group itself, and (multi-group mode, root group only) the other groups.',
  Webhooks: 'Webhook endpoints, their deliveries, and the event feed.',
  Meta: 'This document.',
} as const;

/** The name of an area of the HTTP API: a key of {@link TAGS}. */
export type Tag = keyof typeof TAGS;
