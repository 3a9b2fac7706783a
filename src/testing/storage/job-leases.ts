import { describe, expect, it } from 'vitest';
import { expectOneTrue, race, type SuiteContext } from './helpers.js';
import { at, uid } from './records.js';

/** How many instances race for one lease. */
const RACERS = 10;
/** The lease time of the tests (ms). */
const TTL = 60_000;

/** `jobLeases`: one holder at a time per job name, until it releases the lease or the lease runs out. */
export function describeJobLeases(ctx: SuiteContext): void {
  describe('jobLeases', () => {
    it('grants a free lease, refuses it to another owner while it lasts, and keeps names apart', async () => {
      const [job, other] = [uid('job'), uid('job')];
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(0), TTL)).toBe(true);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(1), TTL)).toBe(false);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(TTL - 1), TTL)).toBe(false);
      expect(await ctx.storage.jobLeases.acquire(other, 'owner-b', at(1), TTL)).toBe(true);
    });

    it('lets another owner take it over once it has run out, not a millisecond sooner', async () => {
      const job = uid('job');
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(0), TTL)).toBe(true);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(TTL - 1), TTL)).toBe(false);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(TTL), TTL)).toBe(true);
      // The old holder lost it: it cannot take it back while the new lease lasts.
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(TTL + 1), TTL)).toBe(false);
    });

    it('extends the lease when its owner acquires it again, even at the same instant', async () => {
      const job = uid('job');
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(0), TTL)).toBe(true);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(0), TTL)).toBe(true);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(TTL / 2), TTL)).toBe(true);
      // It now lasts until TTL * 1.5, not TTL.
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(TTL), TTL)).toBe(false);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(TTL * 1.5 - 1), TTL)).toBe(false);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(TTL * 1.5), TTL)).toBe(true);
    });

    it('lets its owner take it again after it ran out, when no one else took it', async () => {
      const job = uid('job');
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(0), TTL)).toBe(true);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(TTL * 3), TTL)).toBe(true);
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(TTL * 3 + 1), TTL)).toBe(false);
    });

    it('frees the lease on release by its owner, and ignores a release by anyone else', async () => {
      const job = uid('job');
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(0), TTL)).toBe(true);
      await ctx.storage.jobLeases.release(job, 'owner-b');
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-c', at(1), TTL)).toBe(false);
      await ctx.storage.jobLeases.release(job, 'owner-a');
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-b', at(2), TTL)).toBe(true);
      await ctx.storage.jobLeases.release(job, 'owner-b');
      await ctx.storage.jobLeases.release(job, 'owner-b'); // nothing held: no effect, no error
      await ctx.storage.jobLeases.release(uid('job'), 'owner-b');
      expect(await ctx.storage.jobLeases.acquire(job, 'owner-a', at(3), TTL)).toBe(true);
    });

    it(`grants a free lease to exactly one of ${RACERS} concurrent owners`, async () => {
      const job = uid('job');
      const winner = expectOneTrue(await race(RACERS, (i) => ctx.storage.jobLeases.acquire(job, `owner-${i}`, at(0), TTL)));
      expect(await ctx.storage.jobLeases.acquire(job, `owner-${winner}`, at(1), TTL)).toBe(true);
      expect(await ctx.storage.jobLeases.acquire(job, `owner-${(winner + 1) % RACERS}`, at(2), TTL)).toBe(false);
    });

    it(`hands a lease that ran out to exactly one of ${RACERS} concurrent owners`, async () => {
      const job = uid('job');
      expect(await ctx.storage.jobLeases.acquire(job, 'crashed', at(0), TTL)).toBe(true);
      const winner = expectOneTrue(await race(RACERS, (i) => ctx.storage.jobLeases.acquire(job, `owner-${i}`, at(TTL), TTL)));
      expect(await ctx.storage.jobLeases.acquire(job, 'crashed', at(TTL + 1), TTL)).toBe(false);
      expect(await ctx.storage.jobLeases.acquire(job, `owner-${winner}`, at(TTL + 2), TTL)).toBe(true);
    });

    it(`hands a released lease to exactly one of ${RACERS} concurrent owners`, async () => {
      const job = uid('job');
      expect(await ctx.storage.jobLeases.acquire(job, 'first', at(0), TTL)).toBe(true);
      await ctx.storage.jobLeases.release(job, 'first');
      expectOneTrue(await race(RACERS, (i) => ctx.storage.jobLeases.acquire(job, `owner-${i}`, at(1), TTL)));
    });
  });
}
