import type { Clock } from './ports.js';

/** The wall clock. Tests inject their own {@link Clock} through the `clock` option. */
export const systemClock: Clock = { now: () => new Date() };
