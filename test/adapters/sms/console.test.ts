import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleSmsSender } from '../../../src/adapters/sms/console.js';
import { unconfiguredSmsSender } from '../../../src/adapters/sms/unconfigured.js';
import type { LogFields, SmsMessage } from '../../../src/core/ports.js';

const message: SmsMessage = { to: '+447400123456', text: 'Your Acme code is 123456. It expires in 10 minutes.' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('consoleSmsSender', () => {
  it('writes the recipient and the text', async () => {
    const lines: string[] = [];
    await consoleSmsSender({ write: (line) => lines.push(line) }).send(message);
    expect(lines).toEqual([
      [
        '[latchkey] sms (development: printed, not sent)',
        'To: +447400123456',
        '',
        'Your Acme code is 123456. It expires in 10 minutes.',
        '',
      ].join('\n'),
    ]);
  });

  it('writes to console.log by default', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await consoleSmsSender().send(message);
    expect(log).toHaveBeenCalledOnce();
    expect(log.mock.calls[0]![0]).toContain('123456');
  });
});

describe('unconfiguredSmsSender', () => {
  it('rejects, and warns naming neither the number nor the text', async () => {
    const logged: Array<{ message: string; fields?: LogFields }> = [];
    const record = (msg: string, fields?: LogFields) => logged.push({ message: msg, fields });
    const sender = unconfiguredSmsSender({ debug: record, info: record, error: record, warn: record });
    await expect(sender.send(message)).rejects.toThrow('no SMS sender configured');
    const warning = 'no SMS sender configured: text message not sent (set the `sms` option)';
    expect(logged).toEqual([{ message: warning, fields: undefined }]);
    expect(JSON.stringify(logged)).not.toMatch(/7400|123456|Acme/);
  });
});
