/** The records the Storage port stores: plain data, times as `Date` with millisecond precision. */

export type * from './records/groups.js';
export type * from './records/accounts.js';
export type * from './records/sessions.js';
export type * from './records/logs.js';
export type * from './records/signing-keys.js';
export type * from './records/tokens.js';
export type * from './records/webauthn.js';
export type * from './records/page.js';
