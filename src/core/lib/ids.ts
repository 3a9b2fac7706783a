import { randomBytes } from './random.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A prefixed ULID (`acc_01J9Z3…`): sortable by creation time, 80 random bits, readable in logs.
 * The prefix names the kind of thing (`acc`, `ses`, `lgn`, `key`).
 */
export function newId(prefix: string, now: Date = new Date()): string {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const random = randomBytes(16);
  let randomPart = '';
  for (let i = 0; i < 16; i++) randomPart += CROCKFORD[random[i]! % 32];
  return `${prefix}_${timePart}${randomPart}`;
}
