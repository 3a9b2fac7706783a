import type { OutboxMailer, OutboxSmsSender } from '../../src/adapters/index.js';
import { escapeHtml } from '../../src/core/mail/escape-html.js';
import { outboxBody } from './mailer.js';
import { smsOutboxBody } from './sms.js';
import type { WebAsset } from './web.js';

/**
 * The Content-Security-Policy of the HTML views of `/dev/outbox` and `/dev/sms`: the demo's stylesheet
 * and nothing else. No script at all (the pages have none), so a mail's content, escaped already,
 * could not run any even if it slipped through; no images, frames or forms.
 */
export const DEV_PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Whether a request's `Accept` header asks for HTML, as a browser's address bar does
 * (`text/html,application/xhtml+xml,…`). curl, fetch and the tests send `*∕*` or nothing and get JSON.
 */
export function wantsHtml(accept: string | null | undefined): boolean {
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept ?? '');
}

/**
 * `GET /dev/outbox`: the mails as JSON (`[{ to, subject, text, html, sentAt }]`, oldest first, what
 * the README's curl walk-through and the tests read), or, for a browser (`Accept: text/html`), a page
 * that lists them newest first with their text bodies, links clickable. Both `no-store`, `Vary: Accept`.
 *
 * @example
 * ```ts
 * app.get('/dev/outbox', (c) => { const a = outboxAsset(outbox, c.req.header('accept')); return c.body(a.body, a.status, a.headers) })
 * ```
 */
export function outboxAsset(outbox: OutboxMailer, accept: string | null | undefined): WebAsset {
  const mails = outboxBody(outbox);
  if (!wantsHtml(accept)) return json(mails);
  const items = [...mails].reverse().map(
    (mail) =>
      `<li class="card dev-message">\n` +
      `<h2>${escapeHtml(mail.subject)}</h2>\n` +
      `<dl class="dev-meta"><dt>To</dt><dd>${escapeHtml(mail.to)}</dd><dt>Sent</dt><dd>${timeTag(mail.sentAt)}</dd></dl>\n` +
      `<pre class="dev-body">${linkified(mail.text)}</pre>\n</li>`,
  );
  return page({
    title: 'Development outbox',
    intro:
      'The mails the demo sent, newest first (it keeps the last 200, in memory: a restart empties it). ' +
      'Their links open the demo, which fills the token in. Asked without <code>Accept: text/html</code> (curl, fetch), ' +
      'this URL answers the same list as JSON, oldest first.',
    empty: 'No mail yet. Sign up, ask for a password reset, or turn on codes by email, and the mail shows here.',
    items,
  });
}

/**
 * `GET /dev/sms`: the text messages as JSON (`[{ to, text, sentAt }]`, oldest first), or for a browser
 * a page that lists them newest first, like {@link outboxAsset}.
 */
export function smsAsset(sms: OutboxSmsSender, accept: string | null | undefined): WebAsset {
  const messages = smsOutboxBody(sms);
  if (!wantsHtml(accept)) return json(messages);
  const items = [...messages].reverse().map(
    (message) =>
      `<li class="card dev-message">\n` +
      `<dl class="dev-meta"><dt>To</dt><dd>${escapeHtml(message.to)}</dd><dt>Sent</dt><dd>${timeTag(message.sentAt)}</dd></dl>\n` +
      `<pre class="dev-body">${linkified(message.text)}</pre>\n</li>`,
  );
  return page({
    title: 'Development SMS outbox',
    intro:
      'The text messages the demo sent, newest first (the last 200, in memory). ' +
      'Asked without <code>Accept: text/html</code> (curl, fetch), this URL answers the same list as JSON, oldest first.',
    empty: 'No text message yet. Add a phone on the account page, and its code shows here.',
    items,
  });
}

function json(body: unknown): WebAsset {
  return {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      vary: 'accept',
    },
    body: JSON.stringify(body),
  };
}

/** `trusted` parts (`intro`, `items`) are HTML built here; everything from a message is escaped before. */
function page(parts: { title: string; intro: string; empty: string; items: string[] }): WebAsset {
  const list =
    parts.items.length > 0 ? `<ol class="dev-messages" reversed>\n${parts.items.join('\n')}\n</ol>` : `<p class="card">${parts.empty}</p>`;
  const body = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <title>${parts.title} · latchkey demo</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/styles.css">
</head>
<body>
<main class="wrap dev-page">
<h1>${parts.title}</h1>
<p class="muted">${parts.intro} <a href="/">Back to the demo</a></p>
${list}
</main>
</body>
</html>
`;
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': DEV_PAGE_CSP,
      'x-content-type-options': 'nosniff',
      // The links carry tokens in their fragments, which no request sends; the page's own URL neither.
      'referrer-policy': 'no-referrer',
      vary: 'accept',
    },
    body,
  };
}

function timeTag(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>`;
}

/** http(s) URLs in plain text, up to the next space or character that cannot end a URL in a mail. */
const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/g;

/**
 * A message's text as HTML: escaped, with its http(s) URLs as links. Only text that starts with
 * `http://` or `https://` becomes a link (never `javascript:` or `data:`), and the URL is escaped in
 * the attribute as in the text.
 */
export function linkified(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[).,;:!?]+$/, '');
    html += escapeHtml(text.slice(last, match.index));
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(text.slice(last));
}
