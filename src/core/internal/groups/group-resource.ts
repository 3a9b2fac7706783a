import type { GroupRecord, GroupSettings } from '../../ports.js';

/** A group as the admin routes show it (`GET /group`, `GET /groups` …): times as ISO strings. */
export interface GroupResource {
  id: string;
  name: string | null;
  /** A locked group refuses self-registration. */
  locked: boolean;
  /** The account that owns the group (it cannot be deleted while it does), or null. */
  ownerId: string | null;
  /** The group's own overrides of the app's options; a key that is absent follows the app. */
  settings: GroupSettings;
  createdAt: string;
  updatedAt: string;
}

/**
 * Renders a stored group as the public resource.
 *
 * @example
 * ```ts
 * toGroupResource(await storage.groups.find('acme')).createdAt // '2025-01-01T00:00:00.000Z'
 * ```
 */
export function toGroupResource(group: GroupRecord): GroupResource {
  return {
    id: group.id,
    name: group.name,
    locked: group.locked,
    ownerId: group.ownerId,
    settings: { ...(group.settings ?? {}) },
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}
