import type { RequestSender } from './send.js';
import type { SessionKeeper } from './session-keeper.js';

/**
 * The `fetch` of the typed passthrough: each request goes out with `Authorization: Bearer <access
 * token>`, refreshed first when it is due. A 401 `unauthenticated` (the token expired or was revoked
 * meanwhile) gets one refresh and one retry of the same request, the refresh shared with every other
 * call that needs one (see `createSessionKeeper`). Signed out, requests go out as they are; a request
 * that carries its own `Authorization` (a support session's token) is left alone.
 *
 * @throws LatchkeyClientError from the refresh when the session could not be renewed (its `code`:
 * `unauthenticated`, `refresh_token_reused` …), and `network_error`
 * @example
 * ```ts
 * const api = createClient<paths>({ baseUrl, fetch: authedFetch(keeper, sender(undefined)) })
 * ```
 */
export function authedFetch(keeper: SessionKeeper, send: RequestSender): RequestSender {
  return async (request) => {
    if (request.headers.has('authorization')) return send(request);
    const tokens = await keeper.fresh();
    if (!tokens) return send(request);
    const spare = request.clone();
    const answer = await send(withBearer(request, tokens.accessToken));
    if (!(await isUnauthenticated(answer))) return answer;
    const renewed = await keeper.renew(tokens);
    return send(withBearer(spare, renewed.accessToken));
  };
}

function withBearer(request: Request, accessToken: string): Request {
  request.headers.set('authorization', `Bearer ${accessToken}`);
  return request;
}

/** A 401 whose body says `unauthenticated` (read from a copy: the caller still reads the answer). */
async function isUnauthenticated(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } } | null;
    return body?.error?.code === 'unauthenticated';
  } catch {
    return false;
  }
}
