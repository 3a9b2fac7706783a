import { z } from 'zod';
import { createWebhookEndpointSchema, updateWebhookEndpointSchema } from '../../core/internal/webhooks/endpoint-fields.js';
import { defineRoute, type Route } from '../route.js';
import { createdEndpoint, delivery, deliveryPage, endpoint, endpointPage, eventPage, webhookSecret } from '../responses/webhooks.js';
import { pageQuery } from '../schemas.js';
import { json } from './json.js';

const cursor = z.string().min(1).max(512);

/** `GET /webhooks/{id}/deliveries?status&cursor&limit`. */
const deliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursor.optional(),
});

/** `GET /events?after&limit&event`: the core checks the cursor and the event name. */
const eventsQuery = z.strictObject({
  after: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  event: z.string().min(1).max(100).optional(),
});

/**
 * Webhook endpoints and the event feed (api.md, "Webhook endpoints and the event feed"): every route
 * needs a bearer token whose account holds the `admin` role in the group, and sees that group's
 * endpoints, deliveries and events only (any other group's endpoint is `not_found`).
 */
export const webhookRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/webhooks',
    operationId: 'createWebhookEndpoint',
    summary: 'Add a webhook endpoint (its secret is shown only here)',
    tags: ['Webhooks'],
    responses: { 201: createdEndpoint },
    errors: ['conflict'],
    auth: 'admin',
    body: createWebhookEndpointSchema,
    handler: async ({ auth, group, claims, body, client }) =>
      json(201, await auth.createWebhookEndpoint({ group, ...body, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'GET',
    path: '/webhooks',
    operationId: 'listWebhookEndpoints',
    summary: 'The group’s webhook endpoints',
    tags: ['Webhooks'],
    responses: { 200: endpointPage },
    errors: [],
    auth: 'admin',
    query: pageQuery,
    handler: async ({ auth, group, query }) =>
      json(200, await auth.listWebhookEndpoints({ group, limit: query.limit, cursor: query.cursor ?? null })),
  }),
  defineRoute({
    method: 'GET',
    path: '/webhooks/{id}',
    operationId: 'getWebhookEndpoint',
    summary: 'A webhook endpoint',
    tags: ['Webhooks'],
    responses: { 200: endpoint },
    errors: ['not_found'],
    auth: 'admin',
    handler: async ({ auth, group, params }) => json(200, await auth.getWebhookEndpoint({ group, endpointId: params.id! })),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/webhooks/{id}',
    operationId: 'updateWebhookEndpoint',
    summary: 'Change a webhook endpoint, or disable or enable it',
    tags: ['Webhooks'],
    responses: { 200: endpoint },
    errors: ['not_found'],
    auth: 'admin',
    body: updateWebhookEndpointSchema,
    handler: async ({ auth, group, claims, params, body, client }) =>
      json(200, await auth.updateWebhookEndpoint({ group, endpointId: params.id!, ...body, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/webhooks/{id}',
    operationId: 'deleteWebhookEndpoint',
    summary: 'Remove a webhook endpoint',
    tags: ['Webhooks'],
    responses: { 204: null },
    errors: ['not_found'],
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) => {
      await auth.deleteWebhookEndpoint({ group, endpointId: params.id!, actorId: claims.sub, ip: client.ip });
      return json(204);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/webhooks/{id}/secret',
    operationId: 'rotateWebhookSecret',
    summary: 'Rotate an endpoint’s signing secret',
    tags: ['Webhooks'],
    responses: { 200: webhookSecret },
    errors: ['not_found'],
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) =>
      json(200, await auth.rotateWebhookSecret({ group, endpointId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'An endpoint’s deliveries',
    tags: ['Webhooks'],
    responses: { 200: deliveryPage },
    errors: ['not_found'],
    auth: 'admin',
    query: deliveriesQuery,
    handler: async ({ auth, group, params, query }) =>
      json(
        200,
        await auth.listWebhookDeliveries({ group, endpointId: params.id!, status: query.status, limit: query.limit, cursor: query.cursor ?? null }),
      ),
  }),
  defineRoute({
    method: 'POST',
    path: '/webhooks/{id}/deliveries/{deliveryId}/retry',
    operationId: 'retryWebhookDelivery',
    summary: 'Deliver again now',
    tags: ['Webhooks'],
    responses: { 202: delivery },
    errors: ['not_found'],
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) =>
      json(
        202,
        await auth.retryWebhookDelivery({ group, endpointId: params.id!, deliveryId: params.deliveryId!, actorId: claims.sub, ip: client.ip }),
      ),
  }),
  defineRoute({
    method: 'POST',
    path: '/webhooks/{id}/test',
    operationId: 'sendTestWebhook',
    summary: 'Send a `webhook.test` event to one endpoint',
    tags: ['Webhooks'],
    responses: { 202: delivery },
    errors: ['not_found'],
    auth: 'admin',
    handler: async ({ auth, group, claims, params, client }) =>
      json(202, await auth.sendTestWebhook({ group, endpointId: params.id!, actorId: claims.sub, ip: client.ip })),
  }),
  defineRoute({
    method: 'GET',
    path: '/events',
    operationId: 'listEvents',
    summary: 'The event feed, in order',
    tags: ['Webhooks'],
    responses: { 200: eventPage },
    errors: [],
    auth: 'admin',
    query: eventsQuery,
    handler: async ({ auth, group, query }) =>
      json(200, await auth.listEvents({ group, after: query.after ?? null, limit: query.limit, event: query.event })),
  }),
];
