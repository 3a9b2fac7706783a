// Small DOM helpers: finding elements, building them (always with textContent, never HTML strings),
// showing views, announcing messages, and running forms with their errors shown where they happened.

import { LatchkeyClientError } from '../../../src/client/index.js';

/** The element matching `selector`; throws when the page lacks it (a bug, not a runtime condition). */
export function $<T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`missing element: ${selector}`);
  return found;
}

type Child = Node | string | null | undefined | false;

/** Builds an element; attributes set with setAttribute, children appended as nodes or text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/**
 * A `<time>` for an ISO string, in the reader's locale; a dash for null. `compact` (for tables) leaves
 * out the year when it is this year; the full date is then in the tooltip.
 */
export function time(iso: string | null, options: { compact?: boolean } = {}): HTMLElement {
  if (!iso) return el('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  if (options.compact && date.getFullYear() === new Date().getFullYear()) {
    return el('time', { datetime: iso, title: formatDate(iso) }, compactFormat.format(date));
  }
  return el('time', { datetime: iso }, formatDate(iso));
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const compactFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** "Firefox on Linux" from a user agent string: enough to recognise one's own devices. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
    : /OPR\//.test(userAgent) ? 'Opera'
    : /Firefox\//.test(userAgent) ? 'Firefox'
    : /HeadlessChrome\//.test(userAgent) ? 'Headless Chrome'
    : /Chrome\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : /curl\//.test(userAgent) ? 'curl'
    : /node|undici/i.test(userAgent) ? 'Node.js'
    : null;
  const os =
    /Windows/.test(userAgent) ? 'Windows'
    : /iPhone|iPad/.test(userAgent) ? 'iOS'
    : /Mac OS X/.test(userAgent) ? 'macOS'
    : /Android/.test(userAgent) ? 'Android'
    : /CrOS/.test(userAgent) ? 'ChromeOS'
    : /Linux/.test(userAgent) ? 'Linux'
    : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}

// --- views and messages ------------------------------------------------------------------------------

/**
 * Shows one `[data-view]` section and hides the others. With `focus`, moves focus to its heading, so
 * that keyboard and screen reader users start at the top of what changed, and names the page after it.
 */
export function showView(name: string, options: { focus?: boolean } = {}): void {
  let shown: HTMLElement | null = null;
  for (const view of Array.from(document.querySelectorAll<HTMLElement>('[data-view]'))) {
    const match = view.dataset.view === name;
    view.hidden = !match;
    if (match) shown = view;
  }
  if (!shown) return;
  const heading = shown.querySelector<HTMLElement>('h1');
  document.title = heading ? `${heading.textContent} · latchkey demo` : 'latchkey demo';
  if (options.focus !== false) focusHeading(heading);
}

/** Moves focus to a heading (made focusable by script, not by tab order). */
export function focusHeading(heading: HTMLElement | null): void {
  if (!heading) return;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: false });
}

/**
 * Says something in the page's live region (`role="status"`, always in the page so that screen readers
 * announce what is put in it), which sighted users see as a banner above the content. An empty message
 * clears it. Errors are announced assertively and stay until dismissed, replaced, or the next action;
 * confirmations and notes go away by themselves after a few seconds (the router also clears the banner
 * when the view changes).
 */
export function announce(message: string, kind: 'info' | 'success' | 'error' = 'info'): void {
  const region = $('#announcer');
  const text = $('#announcer-text');
  // Set before the text changes, so that the new message is read with the right urgency.
  text.setAttribute('aria-live', message && kind === 'error' ? 'assertive' : 'polite');
  text.textContent = message;
  region.dataset.kind = message ? kind : '';
  $('#announcer-close').hidden = message === '';
  clearTimeout(fadeTimer);
  fadeTimer = undefined;
  if (message && kind !== 'error') fadeTimer = setTimeout(() => fade(message), MESSAGE_SHOWN_MS);
}

/** Clears the banner when it holds an error: the next action starts afresh. */
export function clearAnnouncedError(): void {
  if ($('#announcer').dataset.kind === 'error') announce('');
}

const MESSAGE_SHOWN_MS = 4_000;
let fadeTimer: ReturnType<typeof setTimeout> | undefined;

function fade(message: string): void {
  const region = $('#announcer');
  // Not while the pointer or the keyboard is on it: someone may be reading it.
  if (region.matches(':hover') || region.contains(document.activeElement)) {
    fadeTimer = setTimeout(() => fade(message), 2_000);
    return;
  }
  if ($('#announcer-text').textContent === message) announce('');
}

/**
 * A failure already dealt with: the app moved on and said why (the sign-in page says the session
 * ended, the admin page that a support session did), so forms show nothing more.
 */
export class Handled extends Error {
  override readonly name = 'Handled';
}

export function handled(): Handled {
  return new Handled('Handled.');
}

/**
 * A readable message for any failure: the server's own message (latchkey/client's errors carry it
 * beside the stable `code`), plus what to do where it helps.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof LatchkeyClientError)) {
    return error instanceof Error ? error.message : 'Something went wrong.';
  }
  if (error.code === 'network_error') return 'Could not reach the server. Check that the demo is still running.';
  let message = error.message;
  if (error.code === 'rate_limited' && error.retryAfter) {
    message += ` Try again in ${formatSeconds(error.retryAfter)}.`;
  }
  return message;
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

// --- forms -------------------------------------------------------------------------------------------

/** The text of a named field, trimmed (passwords are not trimmed). */
export function field(form: HTMLFormElement, name: string): string {
  const control = form.elements.namedItem(name);
  if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement)) {
    throw new Error(`missing field: ${name}`);
  }
  return control.type === 'password' ? control.value : control.value.trim();
}

export function checked(form: HTMLFormElement, name: string): boolean {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement && control.checked;
}

/**
 * Runs `handler` on submit, once at a time. While it runs the submit buttons say so with
 * `aria-disabled` (not `disabled`, which would throw keyboard focus off the button). A failure shows in
 * the form's error box (`role="alert"`), with the fields that validation named marked invalid and the
 * first of them focused. {@link Handled} failures show nothing: the app has moved on (to the sign-in
 * page, say) and said why there.
 */
export function onSubmit(form: HTMLFormElement, handler: (form: HTMLFormElement, submitter: HTMLElement | null) => Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    void run(form, () => handler(form, event.submitter));
  });
}

/** Runs an action that belongs to `form` (a button's click), with the same busy state and errors. */
export async function run(form: HTMLElement, action: () => Promise<void>): Promise<void> {
  clearErrors(form);
  clearAnnouncedError();
  setBusy(form, true);
  try {
    await action();
  } catch (error) {
    showError(form, error);
  } finally {
    setBusy(form, false);
  }
}

function setBusy(form: HTMLElement, busy: boolean): void {
  if (busy) form.setAttribute('aria-busy', 'true');
  else form.removeAttribute('aria-busy');
  for (const button of Array.from(form.querySelectorAll<HTMLButtonElement>('button'))) {
    if (busy) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  }
}

/**
 * Shows a failure once, in the form's `.form-error` box (`role="alert"`): the server's own message, and
 * under it only the validation details that the message does not already say ("The email address is
 * not valid." says all that its detail `email: must be an email address` does). The fields the details
 * name are marked invalid and described by the box, and the first of them is focused: nothing is
 * written a second time beside the field, in other words.
 */
export function showError(form: HTMLElement, error: unknown): void {
  // Said already where the app went (the sign-in page says the session ended): not again in a form.
  if (error instanceof Handled) return;
  const box = errorBox(form);
  const message = errorMessage(error);
  box.replaceChildren(el('p', {}, message));
  const details = error instanceof LatchkeyClientError ? error.details : [];
  let firstInvalid: HTMLElement | null = null;
  const unsaid: string[] = [];
  for (const detail of details) {
    const name = detail.path.split('.').pop() ?? '';
    const control = name ? form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`) : null;
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), box.id].filter(Boolean).join(' '));
      firstInvalid ??= control;
    }
    if (!message.toLowerCase().includes((name || detail.path).toLowerCase())) {
      const subject = (control && labelOf(control)) || detail.path;
      unsaid.push(subject ? `${subject} ${detail.message}.` : `${detail.message}.`);
    }
  }
  if (unsaid.length > 0) box.append(el('ul', {}, ...unsaid.map((text) => el('li', {}, text))));
  box.hidden = false;
  firstInvalid?.focus();
}

/** Shows a message of the client's own in the form's error box. */
export function showFormMessage(form: HTMLElement, message: string): void {
  const box = errorBox(form);
  box.replaceChildren(el('p', {}, message));
  box.hidden = false;
}

export function clearErrors(form: HTMLElement): void {
  const box = form.querySelector<HTMLElement>('.form-error');
  if (box) {
    box.hidden = true;
    box.replaceChildren();
  }
  for (const invalid of Array.from(form.querySelectorAll('[aria-invalid]'))) {
    invalid.removeAttribute('aria-invalid');
    const rest = (invalid.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== box?.id);
    if (rest.length > 0) invalid.setAttribute('aria-describedby', rest.join(' '));
    else invalid.removeAttribute('aria-describedby');
  }
}

let errorBoxes = 0;

/** The form's error box (made when the form has none), with an id that the fields it names point to. */
function errorBox(form: HTMLElement): HTMLElement {
  let box = form.querySelector<HTMLElement>('.form-error');
  if (!box) {
    box = el('div', { class: 'form-error', role: 'alert' });
    box.hidden = true;
    form.prepend(box);
  }
  if (!box.id) box.id = `${form.id || 'form'}-error-${++errorBoxes}`;
  return box;
}

function labelOf(control: HTMLElement): string | null {
  const label = control.id ? document.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  const text = label?.firstChild?.textContent?.trim();
  return text || null;
}

/** Reveals `element` and focuses its first field (or itself), for steps that appear after an action. */
export function reveal(element: HTMLElement, focusSelector = 'input, button'): void {
  element.hidden = false;
  const target = element.querySelector<HTMLElement>(focusSelector) ?? element;
  target.focus();
}

/** Runs `action` when `button` is clicked, as part of `form` (busy state and errors), once at a time. */
export function onClick(button: HTMLElement, form: HTMLElement, action: () => Promise<void>): void {
  button.addEventListener('click', () => {
    if (form.getAttribute('aria-busy') === 'true') return;
    void run(form, action);
  });
}

/** Copies text to the clipboard; resolves false where the browser refuses. */
export function copyText(text: string): Promise<boolean> {
  if (!navigator.clipboard) return Promise.resolve(false);
  return navigator.clipboard.writeText(text).then(
    () => true,
    () => false,
  );
}
