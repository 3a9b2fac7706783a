// The admin page (accounts with the `admin` role): finding accounts (GET /auth/accounts, keyset paged).
// One account, the import, the webhooks and the audit log live in their own modules, started from here.

import * as admin from '../admin-api.js';
import type { AccountSearch } from '../admin-api.js';
import type { Account } from '../types.js';
import { $, clearErrors, el, field, focusHeading, onClick, onSubmit, run, showError, time } from '../ui.js';
import { accountBadges, displayName, initAdminAccount, showAdminAccount } from './admin-account.js';
import { initAdminAudit, loadAudit } from './admin-audit.js';
import { initAdminImport } from './admin-import.js';
import { initAdminWebhooks, loadWebhooks } from './admin-webhooks.js';

let search: AccountSearch = { orderBy: 'createdAt', limit: 10 };
/** The cursor of the page shown (null for the first), the next page's, and the page's number. */
let pageCursor: string | null = null;
let nextCursor: string | null = null;
let pageNumber = 1;

/** Loads what the admin page shows: the current search's page, the webhooks and the audit log. */
export async function loadAdminPage(): Promise<void> {
  await Promise.all([
    showPage().then(
      () => clearErrors($('#admin-search-form')),
      (error: unknown) => showError($('#admin-search-form'), error),
    ),
    loadWebhooks(),
    loadAudit(),
  ]);
}

/** Asks for the page at `pageCursor` and shows it. */
async function showPage(): Promise<void> {
  const page = await admin.searchAccounts({ ...search, cursor: pageCursor });
  nextCursor = page.nextCursor;
  $('#admin-results').replaceChildren(...page.data.map(resultItem));
  const summary = $('#admin-results-summary');
  summary.hidden = false;
  const count = `${page.data.length} account${page.data.length === 1 ? '' : 's'}`;
  summary.textContent =
    page.data.length === 0 ? (pageNumber === 1 ? 'No account matches.' : 'No more accounts.')
    : pageNumber === 1 && !nextCursor ? `${count} found.`
    : `Page ${pageNumber}: ${count}.`;
  $('#admin-pager').hidden = pageNumber === 1 && !nextCursor;
  $('#admin-next').hidden = !nextCursor;
  $('#admin-first').hidden = pageNumber === 1;
}

function resultItem(account: Account): HTMLLIElement {
  const emailId = `admin-result-${account.id}`;
  const name = displayName(account);
  const open = el('button', { type: 'button', class: 'button secondary small', 'aria-describedby': emailId }, 'Open');
  open.addEventListener('click', () => {
    const section = $('#admin-search');
    if (section.getAttribute('aria-busy') === 'true') return;
    void run(section, async () => {
      showAdminAccount(await admin.getAccountById(account.id), { focus: true });
    });
  });
  return el(
    'li',
    { class: 'item result' },
    el(
      'div',
      { class: 'item-main' },
      el('strong', { id: emailId, class: 'email-text' }, account.email.address),
      el('span', { class: 'muted' }, name ? `${name} · ` : '', 'joined ', time(account.events.createdAt, { compact: true })),
      el('span', { class: 'badges' }, ...accountBadges(account)),
    ),
    open,
  );
}

/** The page shown, read again. */
async function refreshResults(): Promise<void> {
  try {
    await showPage();
  } catch (error) {
    showError($('#admin-pager'), error);
  }
}

export function initAdmin(): void {
  const form = $<HTMLFormElement>('#admin-search-form');
  onSubmit(form, async () => {
    search = {
      q: field(form, 'q'),
      status: field(form, 'status'),
      verified: field(form, 'verified'),
      role: field(form, 'role'),
      orderBy: field(form, 'orderBy'),
      limit: Number(field(form, 'limit')) || 10,
    };
    pageCursor = null;
    pageNumber = 1;
    await showPage();
  });

  const pager = $<HTMLFormElement>('#admin-pager');
  onSubmit(pager, async () => {
    if (!nextCursor) return;
    const [cursor, number] = [pageCursor, pageNumber];
    pageCursor = nextCursor;
    pageNumber += 1;
    try {
      await showPage();
    } catch (error) {
      [pageCursor, pageNumber] = [cursor, number];
      throw error;
    }
    focusHeading($('#admin-search-title'));
  });
  onClick($('#admin-first'), pager, async () => {
    pageCursor = null;
    pageNumber = 1;
    await showPage();
    focusHeading($('#admin-search-title'));
  });

  // After a change the page shown and the audit log are read again (an account may have moved or gone).
  const reread = async () => {
    await Promise.all([refreshResults(), loadAudit()]);
  };
  initAdminAccount({ changed: reread });
  initAdminImport({ imported: reread });
  initAdminWebhooks({ changed: loadAudit });
  initAdminAudit();
}
