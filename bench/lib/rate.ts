/** Operations per second of `op`, `inFlight` at once, for `seconds`: the loop every in-process ceiling uses. */
export async function ratePerSecond(seconds: number, inFlight: number, op: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const until = started + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        await op();
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
