import { z } from 'zod';
import { AuthError } from '../../core/errors.js';
import { groupPatchSchema } from '../../core/groups/update-group.js';
import { toGroupResource } from '../../core/internal/groups/group-resource.js';
import { GROUP_ID_PATTERN } from '../../core/internal/groups/require-group.js';
import { defineRoute, type Route } from '../route.js';
import { group as groupResource, groupPage } from '../responses/admin.js';
import { email, pageQuery } from '../schemas.js';
import { json } from './json.js';

/** `POST /groups`: the new group's id, and optionally its name and its owner's address. */
const createGroupBody = z.strictObject({
  id: z.string().min(1).max(63),
  name: z.string().trim().min(1).max(100).optional(),
  ownerEmail: email.optional(),
});

/** `DELETE /groups/{id}?force=true`. */
const deleteGroupQuery = z.strictObject({ force: z.enum(['true', 'false']).optional() });

/**
 * The group itself (api.md, "Administration"): `GET /group` and `PATCH /group`, for the admins of the
 * group the request is in; and, in multi-group mode only, the other groups (`/groups`) for the admins
 * of the root group (the `rootGroup` option), refused (403) in every other group and not served (404)
 * in single-group mode.
 */
export const groupRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/group',
    operationId: 'getGroup',
    summary: 'The group the request is in',
    tags: ['Groups'],
    responses: { 200: groupResource },
    errors: ['not_found'],
    auth: 'admin',
    handler: async ({ auth, group }) => json(200, await auth.getGroup({ group })),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/group',
    operationId: 'updateGroup',
    summary: 'Change the group’s name, lock, owner or settings',
    tags: ['Groups'],
    responses: { 200: groupResource },
    errors: ['not_found'],
    auth: 'admin',
    body: groupPatchSchema,
    handler: async ({ auth, group, claims, body, client }) =>
      json(200, await auth.updateGroup({ group, patch: body, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'GET',
    path: '/groups',
    operationId: 'listGroups',
    summary: 'Every group (root group administrators, multi-group mode)',
    tags: ['Groups'],
    responses: { 200: groupPage },
    errors: [],
    auth: 'admin',
    root: true,
    query: pageQuery,
    handler: async ({ auth, query }) => json(200, await auth.listGroups({ limit: query.limit, cursor: query.cursor ?? null })),
  }),
  defineRoute({
    method: 'POST',
    path: '/groups',
    operationId: 'createGroup',
    summary: 'Create a group (root group administrators, multi-group mode)',
    tags: ['Groups'],
    responses: { 201: groupResource },
    errors: ['conflict'],
    auth: 'admin',
    root: true,
    body: createGroupBody,
    handler: async ({ auth, claims, body, client }) =>
      json(201, toGroupResource(await auth.createGroup({ ...body, actorId: claims.sub, ip: client.ip }))),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/groups/{id}',
    operationId: 'deleteGroup',
    summary: 'Delete a group; refused while it holds accounts unless `force=true` (root group administrators, multi-group mode)',
    tags: ['Groups'],
    responses: { 204: null },
    errors: ['not_found', 'conflict'],
    auth: 'admin',
    root: true,
    query: deleteGroupQuery,
    handler: async ({ auth, claims, params, query, client }) => {
      if (!GROUP_ID_PATTERN.test(params.id!)) throw new AuthError('not_found', 'No such group.');
      await auth.deleteGroup({ id: params.id!, force: query.force === 'true', actorId: claims.sub, ip: client.ip });
      return json(204);
    },
  }),
];
