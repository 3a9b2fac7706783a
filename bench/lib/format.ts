/** Number formats for the report. */

export const num = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '–');
export const ms = (n: number): string => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms` : '–');
export const pct = (fraction: number): string => (Number.isFinite(fraction) ? `${(100 * fraction).toFixed(0)} %` : '–');
export const times = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
/** `9.8–11` over the rounds, or just the value when there was one round. */
export const range = ({ min, max }: { min: number; max: number }): string =>
  min === max || !Number.isFinite(min) ? num(min) : `${num(min)}–${num(max)}`;
/** A target's verdict. */
export const verdict = (met: boolean): string => (met ? 'met' : '**missed**');
