import { describe, expect, it } from 'vitest';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { createTestAuth } from '../core/helpers.js';

// A body handed to the fetch handler need not come from the wire's framing: a platform may pass on an
// inflated body, an app may build the Request itself. Its Content-Length is a claim, not a bound.
describe('fetch handler: a body longer than its Content-Length', () => {
  const login = (body: string, contentLength: string) =>
    new Request('http://localhost/auth/login', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'content-length': contentLength },
    });

  it('is refused as too large when it is over the limit, whatever the header claims', async () => {
    const handler = createFetchHandler(createTestAuth().auth);
    const body = JSON.stringify({ email: 'ada@example.com', password: 'x'.repeat(200_000) });
    const response = await handler(login(body, '64'), { ip: '203.0.113.7' });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('is read as it is when it is within the limit', async () => {
    const handler = createFetchHandler(createTestAuth().auth);
    const body = JSON.stringify({ email: 'ada@example.com', password: 'not the password at all' });
    const response = await handler(login(body, '8'), { ip: '203.0.113.7' });
    expect(response.status).toBe(401);
  });
});
