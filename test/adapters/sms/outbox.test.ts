import { describe, expect, it } from 'vitest';
import { outboxSmsSender } from '../../../src/adapters/sms/outbox.js';
import type { SmsMessage } from '../../../src/core/ports.js';

const sms = (to: string, text = 'Your latchkey code is 123456.'): SmsMessage => ({ to, text });

describe('outboxSmsSender', () => {
  it('keeps messages oldest first, with the time they were sent', async () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    const outbox = outboxSmsSender({ clock: { now: () => at } });
    await outbox.send(sms('+447400123456'));
    await outbox.send(sms('+14155552671', 'other'));
    expect(outbox.messages.map((m) => m.to)).toEqual(['+447400123456', '+14155552671']);
    expect(outbox.messages[1]).toEqual({ to: '+14155552671', text: 'other', sentAt: at });
  });

  it('keeps only to and text, frozen', async () => {
    const outbox = outboxSmsSender();
    const before = Date.now();
    await outbox.send({ ...sms('+447400123456'), extra: 'x' } as SmsMessage);
    const [kept] = outbox.messages;
    expect(Object.keys(kept!).sort()).toEqual(['sentAt', 'text', 'to']);
    expect(kept!.sentAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(Object.isFrozen(kept)).toBe(true);
  });

  it('messages is a snapshot: callers cannot change the outbox through it', async () => {
    const outbox = outboxSmsSender();
    await outbox.send(sms('+447400123456'));
    (outbox.messages as unknown as SmsMessage[]).pop();
    expect(outbox.messages).toHaveLength(1);
  });

  it('drops the oldest past the limit (default 100)', async () => {
    const small = outboxSmsSender({ limit: 2 });
    for (const n of ['1', '2', '3']) await small.send(sms(`+4474001234${n}0`));
    expect(small.messages.map((m) => m.to)).toEqual(['+447400123420', '+447400123430']);

    const standard = outboxSmsSender();
    for (let i = 0; i < 101; i++) await standard.send(sms(`+1415555${String(i).padStart(4, '0')}`));
    expect(standard.messages).toHaveLength(100);
    expect(standard.messages[0]!.to).toBe('+14155550001');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => outboxSmsSender({ limit: 0 })).toThrow(TypeError);
    expect(() => outboxSmsSender({ limit: 1.5 })).toThrow(TypeError);
  });

  it('clear() empties it', async () => {
    const outbox = outboxSmsSender();
    await outbox.send(sms('+447400123456'));
    outbox.clear();
    expect(outbox.messages).toEqual([]);
  });

  it('waitFor resolves with the first message already sent that matches', async () => {
    const outbox = outboxSmsSender();
    await outbox.send(sms('+14155552671'));
    await outbox.send(sms('+447400123456', 'first'));
    await outbox.send(sms('+447400123456', 'second'));
    const found = await outbox.waitFor((m) => m.to === '+447400123456');
    expect(found.text).toBe('first');
  });

  it('waitFor resolves with the next matching message when none was sent yet', async () => {
    const outbox = outboxSmsSender();
    const waiting = outbox.waitFor((m) => m.to === '+447400123456');
    await outbox.send(sms('+14155552671'));
    await outbox.send(sms('+447400123456', 'wanted'));
    await outbox.send(sms('+447400123456', 'later'));
    await expect(waiting).resolves.toMatchObject({ to: '+447400123456', text: 'wanted' });
  });

  it('waitFor rejects with a clear error after the timeout', async () => {
    const outbox = outboxSmsSender();
    await outbox.send(sms('+14155552671'));
    const started = Date.now();
    await expect(outbox.waitFor((m) => m.to === '+447400123456', { timeoutMs: 50 })).rejects.toThrow(
      'outboxSmsSender: nothing matched within 50 ms (kept, oldest first: +14155552671)',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('waitFor rejects when its predicate throws, and sending goes on', async () => {
    const outbox = outboxSmsSender();
    const waiting = outbox.waitFor(() => {
      throw new Error('bad predicate');
    });
    await outbox.send(sms('+447400123456'));
    await expect(waiting).rejects.toThrow('bad predicate');
    expect(outbox.messages).toHaveLength(1);
  });
});
