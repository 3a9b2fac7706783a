/** Medians and spreads over the rounds of a run. */

export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of a field over the rounds. */
export function medianOf<T>(rounds: T[], field: (round: T) => number): number {
  return median(rounds.map(field));
}

/** The median over the rounds of a per-round ratio a/b: each round's pair was measured minutes apart at most. */
export function medianRatio<A, B>(a: A[], b: B[], top: (x: A) => number, bottom: (y: B) => number): number {
  return median(a.map((x, i) => (b[i] === undefined ? NaN : top(x) / bottom(b[i]!))));
}

export function spread(values: number[]): { min: number; max: number } {
  const finite = values.filter(Number.isFinite);
  return { min: Math.min(...finite), max: Math.max(...finite) };
}
