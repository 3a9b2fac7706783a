import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleMailer } from '../../../src/adapters/mail/console.js';
import { unconfiguredMailer } from '../../../src/adapters/mail/unconfigured.js';
import type { LogFields, MailMessage } from '../../../src/core/ports.js';

const message: MailMessage = {
  kind: 'email-verification',
  to: 'ada@example.com',
  subject: 'Confirm your email address for Acme',
  text: 'Hi Ada,\n\nToken: abc\n',
  html: '<p>Hi Ada,</p>',
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('consoleMailer', () => {
  it('writes the kind, recipient, subject and text part, not the HTML', async () => {
    const lines: string[] = [];
    await consoleMailer({ write: (line) => lines.push(line) }).send(message);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      [
        '[latchkey] mail email-verification (development: printed, not sent)',
        'To: ada@example.com',
        'Subject: Confirm your email address for Acme',
        '',
        'Hi Ada,',
        '',
        'Token: abc',
        '',
      ].join('\n'),
    );
  });

  it('writes to console.log by default', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await consoleMailer().send(message);
    expect(log).toHaveBeenCalledOnce();
    expect(log.mock.calls[0]![0]).toContain('Token: abc');
  });
});

describe('unconfiguredMailer', () => {
  it('rejects, and warns naming the kind only', async () => {
    const warnings: Array<{ message: string; fields?: LogFields }> = [];
    const ignore = () => {};
    const mailer = unconfiguredMailer({
      debug: ignore,
      info: ignore,
      error: ignore,
      warn: (msg, fields) => warnings.push({ message: msg, fields }),
    });
    await expect(mailer.send(message)).rejects.toThrow('no mailer configured');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toEqual({ kind: 'email-verification' });
    expect(JSON.stringify(warnings)).not.toMatch(/ada@example\.com|Token|abc/);
  });
});
