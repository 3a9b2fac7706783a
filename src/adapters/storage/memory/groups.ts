import { AuthError } from '../../../core/errors.js';
import { decodeIdCursor, encodeIdCursor } from '../../../core/lib/id-cursor.js';
import { assertPageLimit } from '../../../core/lib/page-cursor.js';
import type { GroupRecord, GroupRepository, Page } from '../../../core/ports.js';
import { applyPatch, copy, type MemoryState } from './state.js';

/**
 * The in-memory {@link GroupRepository}. No method awaits, so each runs to completion before any other
 * caller's code: `create` and `delete` are atomic by construction.
 */
export function createGroupRepository(state: MemoryState): GroupRepository {
  return {
    async find(id: string): Promise<GroupRecord | null> {
      const group = state.groups.get(id);
      return group ? copy(group) : null;
    },

    async create(group: GroupRecord): Promise<void> {
      if (state.groups.has(group.id)) throw new AuthError('conflict', 'A group with this id already exists.');
      state.groups.set(group.id, copy(group));
    },

    async update(id, patch): Promise<GroupRecord | null> {
      const group = state.groups.get(id);
      if (!group) return null;
      const next = applyPatch(group, patch, ['id', 'createdAt']);
      state.groups.set(id, next);
      return copy(next);
    },

    async list(options): Promise<Page<GroupRecord>> {
      assertPageLimit(options.limit);
      const after = options.cursor === undefined || options.cursor === null ? null : decodeIdCursor(options.cursor);
      const ids = [...state.groups.keys()].filter((id) => after === null || id > after).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const page = ids.slice(0, options.limit);
      const last = page[page.length - 1];
      return {
        data: page.map((id) => copy(state.groups.get(id)!)),
        nextCursor: ids.length > options.limit && last !== undefined ? encodeIdCursor(last) : null,
      };
    },

    async delete(id: string): Promise<'deleted' | 'not_empty' | 'not_found'> {
      if (!state.groups.has(id)) return 'not_found';
      for (const account of state.accounts.values()) if (account.group === id) return 'not_empty';
      const ofGroup = (record: { group: string }) => record.group === id;
      const tables = [
        state.loginAttempts,
        state.webauthnChallenges,
        state.signingKeys,
        state.auditEntries,
        state.outboxEvents,
        state.webhookEndpoints,
        state.webhookAttempts,
      ] as const;
      for (const table of tables) {
        for (const [key, record] of table as Map<string, { group: string }>) if (ofGroup(record)) table.delete(key);
      }
      for (const [key, entry] of state.webhookDeliveries) if (ofGroup(entry.record)) state.webhookDeliveries.delete(key);
      state.eventSequences.delete(id);
      state.groups.delete(id);
      return 'deleted';
    },
  };
}
