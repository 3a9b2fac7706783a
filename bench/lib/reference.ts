/**
 * The floors and the refresh rate of the reference run: the full run in docs/benchmarks.md ("A recent
 * result", 2026-12-07 13:12 UTC), on which every target was met. A run on a slower or busier machine
 * reads its rates lower; the report shows this run's floors against these, so that a rate target
 * (refresh ≥ 3,000/s, p99 < 5 ms) missed on a slow machine can be told from a regression.
 */
export const REFERENCE = {
  when: '2026-12-07 13:12 UTC',
  emptyRoute: 53_795,
  jose: 19_967,
  sqliteWrite: 36_992,
  refresh: 3_195,
};
