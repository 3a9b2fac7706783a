// Importing accounts on the admin page (POST /auth/accounts/import): rows pasted as CSV or JSON, or read
// from a file into the same box (so that what is sent is what the admin sees), then how many were
// imported and each row that failed, with the server's reason.

import * as admin from '../admin-api.js';
import { parseImportRows, RowsError } from '../import-rows.js';
import type { ImportResult, ImportRow } from '../types.js';
import { $, el, field, focusHeading, onSubmit, run, showFormMessage } from '../ui.js';

export function initAdminImport(options: { imported: () => Promise<void> }): void {
  const form = $<HTMLFormElement>('#admin-import-form');
  const rowsBox = $<HTMLTextAreaElement>('#admin-import-rows');
  const fileInput = $<HTMLInputElement>('#admin-import-file');

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    void run(form, async () => {
      if (file.size > 5_000_000) return showFormMessage(form, `${file.name} is too large to import from here.`);
      rowsBox.value = await file.text();
      rowsBox.focus();
    });
  });

  onSubmit(form, async () => {
    let rows: ImportRow[];
    try {
      rows = parseImportRows(field(form, 'rows'));
    } catch (error) {
      if (error instanceof RowsError) {
        showFormMessage(form, error.message);
        rowsBox.focus();
        return;
      }
      throw error;
    }
    $('#admin-import-result').hidden = true;
    const result = await admin.importAccounts(rows);
    showResult(result);
    if (result.failed.length === 0) form.reset();
    await options.imported();
  });
}

function showResult(result: ImportResult): void {
  const box = $('#admin-import-result');
  const failed = result.failed.length;
  $('#admin-import-summary').textContent =
    `Imported ${result.ok} of ${result.attempted} row${result.attempted === 1 ? '' : 's'}` +
    (failed > 0 ? `; ${failed} failed.` : '.');
  $('#admin-import-ok').replaceChildren(
    ...result.success.map((account) => el('li', {}, el('span', { class: 'badge', 'data-tone': 'ok' }, 'imported'), ' ', el('span', { class: 'email-text' }, account.email.address))),
  );
  $('#admin-import-failed').replaceChildren(
    ...result.failed.map((row) =>
      el(
        'li',
        {},
        el('span', { class: 'badge', 'data-tone': 'bad' }, `row ${row.index + 1}`),
        ' ',
        el('span', { class: 'email-text' }, row.email || '(no email)'),
        ': ',
        failureText(row.error),
      ),
    ),
  );
  box.hidden = false;
  focusHeading($('#admin-import-summary'));
}

/** The server's reason for a row: a message, or an error object with one. */
function failureText(error: ImportResult['failed'][number]['error']): string {
  if (typeof error === 'string') return error;
  return error?.message ?? error?.code ?? 'failed';
}
