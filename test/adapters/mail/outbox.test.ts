import { describe, expect, it } from 'vitest';
import { outboxMailer } from '../../../src/adapters/mail/outbox.js';
import type { MailMessage } from '../../../src/core/ports.js';

const mail = (to: string, kind: MailMessage['kind'] = 'password-reset'): MailMessage => ({
  kind,
  to,
  subject: `subject for ${to}`,
  text: 'text',
  html: '<p>html</p>',
});

describe('outboxMailer', () => {
  it('keeps mails oldest first, with the time they were sent', async () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    const outbox = outboxMailer({ clock: { now: () => at } });
    await outbox.send(mail('a@example.com'));
    await outbox.send(mail('b@example.com', 'password-changed'));
    expect(outbox.messages.map((m) => m.to)).toEqual(['a@example.com', 'b@example.com']);
    expect(outbox.messages[1]).toEqual({ ...mail('b@example.com', 'password-changed'), sentAt: at });
  });

  it('defaults sentAt to now', async () => {
    const outbox = outboxMailer();
    const before = Date.now();
    await outbox.send(mail('a@example.com'));
    expect(outbox.messages[0]!.sentAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('messages is a snapshot: callers cannot change the outbox through it', async () => {
    const outbox = outboxMailer();
    await outbox.send(mail('a@example.com'));
    (outbox.messages as unknown as MailMessage[]).pop();
    expect(outbox.messages).toHaveLength(1);
  });

  it('drops the oldest past the limit (default 100)', async () => {
    const small = outboxMailer({ limit: 2 });
    for (const to of ['a', 'b', 'c']) await small.send(mail(`${to}@example.com`));
    expect(small.messages.map((m) => m.to)).toEqual(['b@example.com', 'c@example.com']);

    const standard = outboxMailer();
    for (let i = 0; i < 101; i++) await standard.send(mail(`${i}@example.com`));
    expect(standard.messages).toHaveLength(100);
    expect(standard.messages[0]!.to).toBe('1@example.com');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => outboxMailer({ limit: 0 })).toThrow(TypeError);
    expect(() => outboxMailer({ limit: 1.5 })).toThrow(TypeError);
  });

  it('clear() empties it', async () => {
    const outbox = outboxMailer();
    await outbox.send(mail('a@example.com'));
    outbox.clear();
    expect(outbox.messages).toEqual([]);
  });

  it('waitFor resolves with the first mail already sent that matches', async () => {
    const outbox = outboxMailer();
    await outbox.send(mail('a@example.com', 'password-changed'));
    await outbox.send(mail('b@example.com'));
    await outbox.send(mail('c@example.com'));
    const found = await outbox.waitFor((m) => m.kind === 'password-reset');
    expect(found.to).toBe('b@example.com');
  });

  it('waitFor resolves with the next matching mail when none was sent yet', async () => {
    const outbox = outboxMailer();
    const waiting = outbox.waitFor((m) => m.to === 'b@example.com');
    await outbox.send(mail('a@example.com'));
    await outbox.send(mail('b@example.com'));
    await outbox.send(mail('b@example.com', 'password-changed'));
    await expect(waiting).resolves.toMatchObject({ to: 'b@example.com', kind: 'password-reset' });
  });

  it('waitFor rejects with a clear error after the timeout', async () => {
    const outbox = outboxMailer();
    await outbox.send(mail('a@example.com', 'account-deleted'));
    const started = Date.now();
    await expect(outbox.waitFor((m) => m.to === 'nobody@example.com', { timeoutMs: 50 })).rejects.toThrow(
      'outboxMailer: nothing matched within 50 ms (kept, oldest first: account-deleted)',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('waitFor rejects when its predicate throws, and sending goes on', async () => {
    const outbox = outboxMailer();
    const waiting = outbox.waitFor(() => {
      throw new Error('bad predicate');
    });
    await outbox.send(mail('a@example.com'));
    await expect(waiting).rejects.toThrow('bad predicate');
    expect(outbox.messages).toHaveLength(1);
  });
});
