import { AuthError } from '../../../core/errors.js';
import type { GroupRecord, GroupRepository } from '../../../core/ports.js';
import { applyPatch, copy, type MemoryState } from './state.js';

/**
 * The in-memory {@link GroupRepository}. No method awaits, so each runs to completion before any other
 * caller's code: `create` is atomic by construction.
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
  };
}
