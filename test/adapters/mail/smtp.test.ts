import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SmtpMailer, smtpMailer } from '../../../src/adapters/mail/smtp.js';
import type { MailMessage } from '../../../src/core/ports.js';

/** What the server received: the envelope and the raw message. */
interface Received {
  mailFrom: string;
  rcptTo: string[];
  user: string | undefined;
  raw: string;
}

interface TestServer {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (plain text, no STARTTLS) that keeps every message it accepts. */
async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<TestServer> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Just enough MIME for these tests: top-level headers, and the decoded text/plain and text/html parts. */
function parseMessage(raw: string): { headers: Record<string, string>; text?: string; html?: string } {
  const unfold = (block: string) => {
    const headers: Record<string, string> = {};
    for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return headers;
  };
  const decode = (body: string, encoding = '') => {
    if (/quoted-printable/i.test(encoding)) {
      const bytes = body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    if (/base64/i.test(encoding)) return Buffer.from(body, 'base64').toString('utf8');
    return body;
  };
  const split = raw.indexOf('\r\n\r\n');
  const headers = unfold(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? raw.slice(split + 4).split(`--${boundary}`).slice(1, -1) : [];
  const result: { headers: Record<string, string>; text?: string; html?: string } = { headers };
  for (const part of parts) {
    const body = part.replace(/^\r\n/, '');
    const end = body.indexOf('\r\n\r\n');
    const partHeaders = unfold(body.slice(0, end));
    const content = decode(body.slice(end + 4).replace(/\r\n$/, ''), partHeaders['content-transfer-encoding']);
    if (partHeaders['content-type']?.startsWith('text/plain')) result.text = content;
    if (partHeaders['content-type']?.startsWith('text/html')) result.html = content;
  }
  return result;
}

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const message: MailMessage = {
  kind: 'password-reset',
  to: 'ada@example.com',
  subject: 'Reset your Acme password',
  text: `Hi Ada,\n\nToken: ${TOKEN}\n\nThe Acme team\n`,
  html: `<!doctype html><p>Hi Ada,</p><p>Token: <code>${TOKEN}</code></p>`,
};

const open: Array<SmtpMailer | TestServer> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  // Mailers first: their pooled connections would keep the servers' close() waiting.
  for (const item of open.splice(0).reverse()) await item.close();
});

async function setup(
  serverOptions: Partial<SMTPServerOptions>,
  mailerOptions: (port: number) => Parameters<typeof smtpMailer>[0],
): Promise<{ server: TestServer; mailer: SmtpMailer }> {
  const server = await startServer(serverOptions);
  open.push(server);
  const mailer = smtpMailer(mailerOptions(server.port));
  open.push(mailer);
  return { server, mailer };
}

function expectDelivered(received: Received | undefined) {
  expect(received).toBeDefined();
  expect(received!.mailFrom).toBe('no-reply@acme.example');
  expect(received!.rcptTo).toEqual(['ada@example.com']);
  const parsed = parseMessage(received!.raw);
  expect(parsed.headers.from).toBe('Acme <no-reply@acme.example>'); // nodemailer drops quotes it does not need
  expect(parsed.headers.to).toBe('ada@example.com');
  expect(parsed.headers.subject).toBe('Reset your Acme password');
  expect(parsed.headers['content-type']).toMatch(/^multipart\/alternative/);
  expect(parsed.text).toBe(message.text.replace(/\n/g, '\r\n'));
  expect(parsed.html).toBe(message.html);
  expect(/[A-Za-z0-9_-]{43}/.exec(parsed.text!)?.[0]).toBe(TOKEN);
}

const FROM = '"Acme" <no-reply@acme.example>';

describe('smtpMailer (against a real SMTP server)', () => {
  it('delivers From, To, Subject and both parts through an smtp:// URL', async () => {
    const { server, mailer } = await setup({}, (port) => ({ url: `smtp://127.0.0.1:${port}`, from: FROM }));
    await mailer.send(message);
    expect(server.received).toHaveLength(1);
    expectDelivered(server.received[0]);
  });

  it('delivers through host and port options, reusing the pooled connection', async () => {
    const { server, mailer } = await setup({}, (port) => ({ host: '127.0.0.1', port, from: FROM }));
    await mailer.send(message);
    await mailer.send(message);
    expect(server.received).toHaveLength(2);
    expectDelivered(server.received[1]);
  });

  it('uses the message’s own From (the email.from option) over the mailer’s', async () => {
    const { server, mailer } = await setup({}, (port) => ({ host: '127.0.0.1', port, from: 'other@elsewhere.example' }));
    await mailer.send({ ...message, from: FROM });
    expectDelivered(server.received[0]);
  });

  it('logs in with the credentials of the URL', async () => {
    const { server, mailer } = await setup({}, (port) => ({ url: `smtp://mailer:s3cret@127.0.0.1:${port}`, from: FROM }));
    await mailer.send(message);
    expect(server.received[0]!.user).toBe('mailer');
  });

  it('reads SMTP_URL when no url or host is given', async () => {
    const server = await startServer();
    open.push(server);
    vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${server.port}`);
    const mailer = smtpMailer({ from: FROM });
    open.push(mailer);
    await mailer.send(message);
    expectDelivered(server.received[0]);
  });

  it('refuses to start without anywhere to connect, or with another scheme', () => {
    vi.stubEnv('SMTP_URL', '');
    expect(() => smtpMailer({ from: FROM })).toThrow(TypeError);
    expect(() => smtpMailer({ url: 'http://127.0.0.1:25', from: FROM })).toThrow(/smtp:\/\/ or smtps:\/\//);
  });

  it('rejects when the server refuses the recipient, without the address in the message', async () => {
    const { server, mailer } = await setup(
      {
        onRcptTo(address, _session, callback) {
          const error = Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 });
          callback(error);
        },
      },
      (port) => ({ url: `smtp://127.0.0.1:${port}`, from: FROM }),
    );
    const error = await mailer.send(message).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toBe('SMTP delivery failed (EENVELOPE 550)');
    expect(error!.message).not.toContain('ada@example.com');
    expect(String((error!.cause as Error).message)).toContain('mailbox unavailable');
    expect(server.received).toEqual([]);
  });

  it('rejects when the server refuses the message data', async () => {
    const { mailer } = await setup(
      {
        onData(stream, _session, callback) {
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('message looks like spam'), { responseCode: 554 })));
        },
      },
      (port) => ({ host: '127.0.0.1', port, from: FROM }),
    );
    await expect(mailer.send(message)).rejects.toThrow(/^SMTP delivery failed \(.*554.*\)$/);
  });

  it('rejects when nothing listens', async () => {
    const server = await startServer();
    await server.close();
    const mailer = smtpMailer({ host: '127.0.0.1', port: server.port, from: FROM });
    open.push(mailer);
    await expect(mailer.send(message)).rejects.toThrow(/^SMTP delivery failed \((ECONNECTION|ESOCKET)\b/);
  });
});
