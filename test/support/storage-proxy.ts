import type { Storage } from '../../src/index.js';

/**
 * `inner` with every repository method call passed through `around` (the repository's name, the
 * method's, its arguments, and a function that makes the call), including the calls made inside
 * `transaction`: the storage a transaction hands out is wrapped the same way, so a test that watches
 * what crosses the port sees every write. `around` also gets the unwrapped storage the call goes to
 * (inside a transaction, the transaction's), for a test that stages a concurrent write there.
 */
export function proxyStorage(
  inner: Storage,
  around: (repository: string, method: string, args: unknown[], call: () => unknown, storage: Storage) => unknown,
): Storage {
  const wrap = (name: string, repository: object) =>
    new Proxy(repository, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          around(name, String(key), args, () => (value as (...a: unknown[]) => unknown).apply(target, args), inner);
      },
    });
  const repositories = Object.entries(inner).filter(([name]) => name !== 'transaction');
  const storage = Object.fromEntries(repositories.map(([name, repository]) => [name, wrap(name, repository as object)])) as unknown as Storage;
  storage.transaction = (work) => inner.transaction((tx) => work(proxyStorage(tx, around)));
  return storage;
}
