/** What the webhook tests share: a fresh endpoint URL, a group with a signed-in admin, an endpoint made over HTTP. */

import { expect } from 'vitest';
import { bearer, type Harness, loginAccount, PASSWORD, registerAccount, type Tokens, uniqueGroup } from './setup.js';

export const NO_ENDPOINT = 'No such webhook endpoint.';

/** A fresh URL per call: the storage may be a database shared with other tests (and their dispatchers). */
export const hookUrl = (label = 'hook') => `https://hooks.example.com/${label}/${Math.random().toString(36).slice(2, 10)}`;

/** A group of its own (multi-group mode) with a signed-in admin: the storage may be shared, `default` included. */
export async function adminGroup(
  h: Harness,
  label = 'hooks',
): Promise<{ group: string; p: string; admin: { email: string; account: Record<string, any>; tokens: Tokens }; auth: { headers: Record<string, string> } }> {
  const group = uniqueGroup(label);
  await h.auth.createGroup({ id: group });
  const p = `/auth/${group}`;
  const { email, account } = await registerAccount(h, { prefix: p });
  await h.auth.grantRole({ group, email, role: 'admin' });
  const tokens = await loginAccount(h, email, PASSWORD, p);
  return { group, p, admin: { email, account, tokens }, auth: { headers: bearer(tokens.accessToken) } };
}

/** Creates an endpoint over HTTP (asserting 201). */
export async function createEndpoint(h: Harness, p: string, auth: { headers: Record<string, string> }, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await h.request('POST', `${p}/webhooks`, { ...auth, body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

