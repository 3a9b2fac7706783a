// The header's group bar, shown in multi-group mode only (group.ts): the group the page works in, and a
// form that opens the page in another one. In single-group mode it stays hidden.

import { currentGroup, isGroupId, switchGroup } from '../group.js';
import { createLatchkeyClient, unwrap } from '../../../../src/client/index.js';
import { $, field, onSubmit, showFormMessage } from '../ui.js';

export function initGroupBar(): void {
  const group = currentGroup();
  if (group === null) return;
  $('#group-name').textContent = group;
  $('#group-bar').hidden = false;
  const form = $<HTMLFormElement>('#group-form');
  onSubmit(form, async () => {
    const next = field(form, 'group').toLowerCase();
    if (!isGroupId(next)) {
      return showFormMessage(form, 'A group id is lowercase letters, digits, - and _, starting with a letter or a digit.');
    }
    if (next !== group && !(await groupExists(next))) return showFormMessage(form, `There is no group “${next}”.`);
    switchGroup(next);
  });
}

/** Every group serves its public signing keys; a group that does not exist answers 404. */
async function groupExists(id: string): Promise<boolean> {
  const answer = await createLatchkeyClient({ baseUrl: '/auth', group: id }).GET('/.well-known/jwks.json');
  if (answer.response.status === 404) return false;
  unwrap(answer); // any other failure is shown
  return true;
}
