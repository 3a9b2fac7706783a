import { describe, expect, it } from 'vitest';
import { outboxMailer } from '../../../src/adapters/mail/outbox.js';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { type AccountResource, NO_SECOND_FACTOR, toAccountResource } from '../../../src/core/internal/accounts/account-resource.js';
import type { AuthContext } from '../../../src/core/context.js';
import { isAuthError } from '../../../src/core/errors.js';
import { randomToken } from '../../../src/core/lib/random.js';
import { sendMail } from '../../../src/core/mail/send-mail.js';
import { defaultTemplates } from '../../../src/core/mail/templates.js';
import type { MailTemplateData, MailTemplates } from '../../../src/core/mail/types.js';
import { parseOptions } from '../../../src/core/options.js';
import type { LogFields, Logger, Mailer, MailKind } from '../../../src/core/ports.js';

const KINDS = Object.keys(defaultTemplates) as MailKind[];
const TOKEN_KINDS = ['email-verification', 'password-reset'] as const;
const TOKEN_PATTERN = /[A-Za-z0-9_-]{43}/;

function account(overrides: { first?: string | null; last?: string | null; email?: string } = {}): AccountResource {
  const at = new Date('2030-01-01T09:30:00.000Z');
  return toAccountResource({
    id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
    group: 'default',
    email: overrides.email ?? 'ada@example.com',
    emailVerifiedAt: null,
    emailAddedAt: at,
    firstName: overrides.first === undefined ? 'Ada' : overrides.first,
    lastName: overrides.last === undefined ? 'Lovelace' : overrides.last,
    passwordHash: null,
    roles: [],
    allowSupportLogin: false,
    status: 'active',
    statusChangedAt: at,
    statusReason: null,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    lastLoginAt: null,
    lastLoginDevice: null,
    lastPasswordChangeAt: at,
    ...NO_SECOND_FACTOR,
  });
}

function data(kind: MailKind, extra: Partial<MailTemplateData> = {}): MailTemplateData {
  return { kind, account: account(), appName: 'Acme', ...extra };
}

describe('default mail templates', () => {
  it.each(KINDS)('%s: a subject naming the app, a greeting, text and an HTML document', (kind) => {
    const mail = defaultTemplates[kind](data(kind, { token: randomToken(), expiresInMinutes: 60 }));
    expect(mail.subject).toContain('Acme');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toMatch(/^Hi Ada,\n/);
    expect(mail.text).toContain('The Acme team');
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain('Hi Ada,');
    expect(mail.html).toContain('<title>');
  });

  it.each(TOKEN_KINDS)('%s without a link shows the token on its own line, and its expiry', (kind) => {
    const token = randomToken();
    const mail = defaultTemplates[kind](data(kind, { token, expiresInMinutes: kind === 'password-reset' ? 60 : 1440 }));
    expect(mail.text).toMatch(new RegExp(`^Token: ${token}$`, 'm'));
    expect(TOKEN_PATTERN.exec(mail.text)?.[0]).toBe(token);
    expect(TOKEN_PATTERN.exec(mail.html)?.[0]).toBe(token);
    expect(mail.text).toContain(kind === 'password-reset' ? 'expires in 1 hour' : 'expires in 24 hours');
    expect(mail.html).not.toContain('href=');
  });

  it.each(TOKEN_KINDS)('%s with a link shows the link (escaped in HTML) instead of the token line', (kind) => {
    const token = randomToken();
    const url = `https://app.example/verify?token=${encodeURIComponent(token)}&lang=en`;
    const mail = defaultTemplates[kind](data(kind, { token, url, expiresInMinutes: 90 }));
    expect(mail.text).toContain(url);
    expect(mail.text).not.toMatch(/^Token:/m);
    expect(TOKEN_PATTERN.exec(mail.text)?.[0]).toBe(token);
    expect(mail.html).toContain(`href="https://app.example/verify?token=${token}&amp;lang=en"`);
    expect(mail.html).not.toContain('&lang');
    expect(TOKEN_PATTERN.exec(mail.html)?.[0]).toBe(token);
    expect(mail.text).toContain('This link expires in 90 minutes');
  });

  it('says what each kind is about', () => {
    const text = (kind: MailKind, extra: Partial<MailTemplateData> = {}) =>
      defaultTemplates[kind](data(kind, extra)).text;
    expect(text('email-verification')).toContain('confirm that ada@example.com is your email address for Acme');
    expect(text('password-reset')).toContain("If you didn't ask to reset your password, ignore this email");
    expect(text('password-changed')).toContain('was changed on 2030-01-01 09:30 UTC');
    expect(text('password-changed')).toContain("If this wasn't you, reset your password");
    expect(text('account-deleted')).toContain('has been deleted');
    expect(text('account-deleted', { expiresInMinutes: 30 * 1440 })).toContain('permanently removed in 30 days');
    expect(text('account-deleted')).toContain('permanently removed once our retention period has passed');
    expect(text('registration-attempt')).toContain('You already have an account with this address');
    expect(text('registration-attempt')).toContain('Forgot password');
  });

  it.each(KINDS)('%s escapes every interpolated value in the HTML part', (kind) => {
    const hostile = '<script>alert("x")</script>';
    const mail = defaultTemplates[kind]({
      kind,
      account: account({ first: hostile, email: `"<img src=x onerror=alert(1)>"@example.com` }),
      appName: `Acme <b onclick='x'>`,
      token: randomToken(),
      expiresInMinutes: 60,
      ...(kind === 'password-reset' ? { url: `https://app.example/r?t="><script>x</script>` } : {}),
    });
    expect(mail.html).not.toMatch(/<script|<img|<b |onclick='/);
    expect(mail.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(mail.html).toContain('Acme &lt;b onclick=&#39;x&#39;&gt;');
    expect(mail.text).toContain(`Hi ${hostile},`);
  });

  it.each(KINDS)('%s is fine without a name', (kind) => {
    const mail = defaultTemplates[kind](data(kind, { account: account({ first: null, last: null }), token: randomToken() }));
    expect(mail.text).toMatch(/^Hi,\n/);
    expect(mail.html).toContain('>Hi,</p>');
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(/null|undefined/);
  });
});

function recordingLogger(): Logger & { entries: Array<{ level: string; message: string; fields?: LogFields }> } {
  const entries: Array<{ level: string; message: string; fields?: LogFields }> = [];
  const log = (level: string) => (message: string, fields?: LogFields) => entries.push({ level, message, fields });
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The part of a context `sendMail` reads. */
function context(options: { templates?: MailTemplates; appName?: string; mailer?: Mailer } = {}) {
  const outbox = outboxMailer();
  const logger = recordingLogger();
  const parsed = parseOptions({
    storage: memoryStorage(),
    issuer: 'Issuer Inc',
    email: { ...(options.templates ? { templates: options.templates } : {}), ...(options.appName ? { appName: options.appName } : {}) },
  });
  const ctx = { options: parsed, mailer: options.mailer ?? outbox, logger } as unknown as AuthContext;
  return { ctx, outbox, logger };
}

describe('sendMail', () => {
  it('renders the built-in template, with the link built from the link template and the app name from issuer', async () => {
    const { ctx, outbox } = context();
    const token = randomToken();
    await sendMail(ctx, {
      kind: 'email-verification',
      to: 'ada@example.com',
      account: account(),
      token,
      linkTemplate: 'https://app.example/verify/{token}',
      expiresInMinutes: 1440,
    });
    const [mail] = outbox.messages;
    expect(mail).toMatchObject({ kind: 'email-verification', to: 'ada@example.com' });
    expect(mail!.subject).toContain('Issuer Inc');
    expect(mail!.text).toContain(`https://app.example/verify/${token}`);
    expect(mail!.text).toContain('expires in 24 hours');
  });

  it("an app's template replaces its kind only", async () => {
    const { ctx, outbox } = context({
      appName: 'Acme',
      templates: {
        'password-reset': ({ token, appName }) => ({
          subject: `${appName}: custom reset`,
          text: `custom ${token}`,
          html: `<p>custom ${token}</p>`,
        }),
      },
    });
    const token = randomToken();
    await sendMail(ctx, { kind: 'password-reset', to: 'ada@example.com', account: account(), token });
    await sendMail(ctx, { kind: 'email-verification', to: 'ada@example.com', account: account(), token });
    const [reset, verification] = outbox.messages;
    expect(reset).toMatchObject({ subject: 'Acme: custom reset', text: `custom ${token}` });
    expect(verification!.subject).toBe(defaultTemplates['email-verification'](data('email-verification')).subject);
    expect(verification!.text).toContain(`Token: ${token}`);
  });

  it('a mailer failure is mail_delivery_failed, logged with the kind and without address or token', async () => {
    const token = randomToken();
    const { ctx, logger } = context({
      mailer: { send: () => Promise.reject(new Error('connection refused')) },
    });
    const error = await sendMail(ctx, { kind: 'password-reset', to: 'ada@example.com', account: account(), token }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAuthError(error, 'mail_delivery_failed')).toBe(true);
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]!.fields).toMatchObject({ kind: 'password-reset' });
    expect(JSON.stringify(logger.entries)).not.toMatch(new RegExp(`ada@example.com|${token}`));
  });
});
