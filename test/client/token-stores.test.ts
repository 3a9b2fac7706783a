import { afterEach, describe, expect, it, vi } from 'vitest';
import { localStorageTokenStore, memoryTokenStore, type StoredTokens, type WebStorageLike } from '../../src/client/index.js';

/** The token stores: what they keep, how they fail safe, and the lock each offers. */

const tokens = (n: number): StoredTokens => ({ accessToken: `a${n}`, refreshToken: `r${n}`, expiresAt: 1000 * n, refreshAt: 900 * n });

/** A Map behind the Web Storage API, which can be made to fail. */
function fakeStorage(): WebStorageLike & { items: Map<string, string>; full: boolean } {
  const items = new Map<string, string>();
  return {
    items,
    full: false,
    getItem: (key) => items.get(key) ?? null,
    setItem(key, value) {
      if (this.full) throw new DOMException('quota', 'QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
}

describe('memoryTokenStore', () => {
  it('keeps a copy, clears, and its lock runs one task at a time', async () => {
    const store = memoryTokenStore();
    const kept = tokens(1);
    await store.set(kept);
    kept.accessToken = 'changed';
    expect(await store.get()).toEqual(tokens(1));

    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`${name} out`);
      return name;
    };
    const failing = store.lock!(async () => {
      throw new Error('boom');
    });
    expect(await Promise.all([store.lock!(task('a')), failing.catch(() => 'failed'), store.lock!(task('b'))])).toEqual(['a', 'failed', 'b']);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);

    await store.clear();
    expect(await store.get()).toBeNull();
  });
});

describe('localStorageTokenStore', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps the tokens as JSON under its key, shared by every store on the same storage (tabs)', () => {
    const storage = fakeStorage();
    const tab1 = localStorageTokenStore('app.tokens', { storage });
    const tab2 = localStorageTokenStore('app.tokens', { storage });
    tab1.set(tokens(1));
    expect(JSON.parse(storage.items.get('app.tokens')!)).toEqual(tokens(1));
    expect(tab2.get()).toEqual(tokens(1));
    tab2.clear();
    expect(tab1.get()).toBeNull();
  });

  it('uses globalThis.localStorage and the key latchkey.tokens by default', () => {
    const storage = fakeStorage();
    vi.stubGlobal('localStorage', storage);
    localStorageTokenStore().set(tokens(2));
    expect(storage.items.has('latchkey.tokens')).toBe(true);
  });

  it('reads anything that is not its shape as signed out', () => {
    const storage = fakeStorage();
    const store = localStorageTokenStore('k', { storage });
    for (const value of ['not json', 'null', '{"accessToken":"a"}', JSON.stringify({ ...tokens(1), expiresAt: 'soon' })]) {
      storage.items.set('k', value);
      expect(store.get(), value).toBeNull();
    }
  });

  it('falls back to memory when storage refuses a write, and never hands back the tokens before it', () => {
    const storage = fakeStorage();
    const store = localStorageTokenStore('k', { storage });
    store.set(tokens(1));
    storage.full = true;
    store.set(tokens(2));
    expect(store.get()).toEqual(tokens(2)); // not the r1 left in storage: presenting it again would end the session
    store.clear();
    expect(store.get()).toBeNull();
  });

  it('works without any storage (a sandboxed frame, Node): in memory', () => {
    vi.stubGlobal('localStorage', undefined);
    const store = localStorageTokenStore();
    store.set(tokens(3));
    expect(store.get()).toEqual(tokens(3));
  });

  it('locks with a Web Lock named after its key where the browser has them', async () => {
    const names: string[] = [];
    vi.stubGlobal('navigator', {
      locks: { request: async (name: string, task: () => Promise<unknown>) => (names.push(name), task()) },
    });
    const store = localStorageTokenStore('app.tokens', { storage: fakeStorage() });
    expect(await store.lock!(async () => 42)).toBe(42);
    expect(names).toEqual(['app.tokens.refresh']);
  });
});
