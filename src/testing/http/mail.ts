import type { OutboxMessage } from '../../adapters/mail/outbox.js';
import type { MailKind } from '../../core/ports.js';
import type { Harness } from './setup.js';

/**
 * The token a latchkey mail carries: its `Token: …` line (no link configured), or the `token` query
 * parameter of its link.
 *
 * @throws Error when the mail carries none
 */
export function tokenFromMail(message: { text: string }): string {
  const line = /Token: ([A-Za-z0-9_-]{43})/.exec(message.text)?.[1];
  if (line) return line;
  for (const url of message.text.match(/https?:\/\/\S+/g) ?? []) {
    const link = new URL(url);
    // Links carry the token in the fragment (`#token=`), which never reaches a server log or a Referer.
    const token = new URLSearchParams(link.hash.slice(1)).get('token') ?? link.searchParams.get('token');
    if (token) return token;
  }
  throw new Error('no token in this mail');
}

/** Waits for a mail of `kind` to `to` that was not in the outbox before `since` was taken. */
export function nextMail(h: Harness, kind: MailKind, to: string, since: readonly OutboxMessage[] = []): Promise<OutboxMessage> {
  const seen = new Set(since);
  return h.outbox.waitFor((m) => m.kind === kind && m.to === to && !seen.has(m));
}

/** Lets mail work that runs after an answer finish, before asserting that none was sent. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
