import { describe, expect, it } from 'vitest';
import { retryOnDeadlock } from '../../../src/adapters/storage/kysely/errors.js';

/** A deadlock's victim is run again, up to eight times in all; any other error is thrown at once. */
describe('retryOnDeadlock', () => {
  const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
  const failing = (times: number, error: () => Error) => {
    let calls = 0;
    const run = async () => {
      calls++;
      if (calls <= times) throw error();
      return 'stored';
    };
    return { run, calls: () => calls };
  };

  it('runs a transaction that was a deadlock victim seven times again until it commits', async () => {
    const work = failing(7, deadlock);
    await expect(retryOnDeadlock(work.run)).resolves.toBe('stored');
    expect(work.calls()).toBe(8);
  });

  it('gives up after eight deadlocks, with the database error', async () => {
    const work = failing(8, deadlock);
    await expect(retryOnDeadlock(work.run)).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(work.calls()).toBe(8);
  });

  it('never runs again after another error, nor when told to try once (inside a caller’s transaction)', async () => {
    const other = failing(1, () => Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY', errno: 1062 }));
    await expect(retryOnDeadlock(other.run)).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(other.calls()).toBe(1);
    const once = failing(1, deadlock);
    await expect(retryOnDeadlock(once.run, 1)).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(once.calls()).toBe(1);
  });

  it('recognises PostgreSQL’s deadlock too', async () => {
    const work = failing(2, () => Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    await expect(retryOnDeadlock(work.run)).resolves.toBe('stored');
    expect(work.calls()).toBe(3);
  });
});
