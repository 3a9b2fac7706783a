import { z } from 'zod';
import type { MailTemplates } from '../mail/types.js';
import { DAY, rule } from './checks.js';

/** The `throttle` option: the rate limits, each counted by the `rateLimiter` port. */
export const throttleOptions = () =>
  z
    .strictObject({
      /**
       * Failed logins per account from one client (IPv4 address or IPv6 network) before that client gets
       * `rate_limited` for it (default 10 per 15 minutes). Strangers elsewhere cannot spend it.
       */
      loginPerClient: rule(10, 900),
      /**
       * Failed logins per account, from every client that has not signed in to it since its last
       * password change, together (default 200 per 24 hours): the ceiling on online guessing from any
       * number of addresses. Clients the owner signed in from are not held by it.
       */
      loginPerAccount: rule(200, 86_400),
      /** Failed logins per client, to any account (default 100 per 15 minutes). */
      loginPerIp: rule(100, 900),
      /** Anonymous requests that send mail or texts, per client (default 50 per 15 minutes). */
      mailPerIp: rule(50, 900),
      /** Anonymous requests that check a secret or write a row, per client (default 300 per minute). */
      requestsPerIp: rule(300, 60),
      /** Anonymous requests that store a challenge (passkey sign-in options), per client (default 60 per minute). */
      challengesPerIp: rule(60, 60),
      /** Refreshes per client (default 1200 per minute: many users may share one address). */
      refreshPerIp: rule(1200, 60),
      /** IPv6 clients are counted by this network prefix (default 64: one subscriber's network). */
      ipv6Prefix: z.number().int().min(32).max(128).default(64),
    })
    .prefault({});

/** The `email` option: how latchkey's mails look and link back to the app. */
export const emailOptions = () =>
  z
    .strictObject({
      /** The From header of latchkey's mails; without it the mailer's own sender is used. */
      from: z.string().min(3).optional(),
      /** The name mails show (default: the `issuer` option). */
      appName: z.string().min(1).optional(),
      /**
       * Link in verification mails; `{token}` is replaced by the token, and `{group}` (optional) by the
       * account's group, for multi-group apps. Without it the mail shows the token.
       */
      verificationUrl: z.string().includes('{token}').optional(),
      /** Link in password reset and account claim mails; `{token}` and `{group}` as in `verificationUrl`. */
      resetUrl: z.string().includes('{token}').optional(),
      /** Per-kind template overrides. */
      templates: z
        .custom<MailTemplates>(
          (value) =>
            typeof value === 'object' && value !== null && Object.values(value).every((t) => typeof t === 'function'),
          { message: 'must map mail kinds to template functions' },
        )
        .optional(),
    })
    .prefault({});

/** The `webauthn` option: the relying party of passkeys. */
export const webauthnOptions = () =>
  z
    .strictObject({
      /** The RP ID: the site's registrable domain (`example.com`, or `localhost` in development). */
      rpID: z.string().min(1).max(253),
      /** The name browsers show (default: `email.appName`, else `issuer`). */
      rpName: z.string().min(1).max(100).optional(),
      /** Every origin the browser may report (`https://app.example.com`). */
      origins: z.array(z.url()).min(1).max(20),
      /** For passkey sign-in and registration (default `required`: only then does a passkey count as two factors). */
      userVerification: z.enum(['required', 'preferred', 'discouraged']).default('required'),
      /** What to ask of authenticators about their make (default `none`). */
      attestation: z.enum(['none', 'direct', 'enterprise']).default('none'),
      /** Challenge lifetime in seconds (default 300). */
      challengeTtl: z.number().int().min(30).max(900).default(300),
    })
    .optional();

/** The `webhooks` option: the outbox's deliveries. */
export const webhooksOptions = () =>
  z
    .strictObject({
      /** Hosts or CIDR ranges that endpoints may reach although they are loopback or private (default none). */
      allow: z.array(z.string().min(1).max(253)).max(100).default([]),
      /** How often, in milliseconds, a started dispatcher looks for due deliveries (default 1000). */
      pollInterval: z.number().int().min(50).max(60_000).default(1000),
      /** Seconds a dispatcher holds the deliveries it claimed (default 60; one attempt takes at most 15). */
      leaseSeconds: z.number().int().min(20).max(3600).default(60),
      /** Deliveries claimed and sent at once (default 10). */
      batch: z.number().int().min(1).max(100).default(10),
      /**
       * Seconds events are kept for `GET /events` and the delivery log once none of their deliveries is
       * pending (default 30 days); `purgeDeletedAccounts` removes older ones.
       */
      retention: z.number().int().min(3600).max(3650 * DAY).default(30 * DAY),
    })
    .prefault({});
