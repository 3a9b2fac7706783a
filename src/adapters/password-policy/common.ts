import type { PasswordPolicy } from '../../core/ports.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Options of {@link commonPasswordPolicy}. */
export interface CommonPasswordPolicyOptions {
  /**
   * More passwords to refuse, matched the same way: words of your own context, such as the name of the
   * site or product (NIST SP 800-63B asks for them).
   */
  extra?: Iterable<string>;
}

/** The bundled list as a set, made on first use (10,000 entries, about 1 ms). */
let bundled: ReadonlySet<string> | undefined;

function bundledList(): ReadonlySet<string> {
  bundled ??= new Set(COMMON_PASSWORDS.split('\n'));
  return bundled;
}

/** How a password is compared: NFKC (as the core hands it over), then lower case. */
function matchKey(password: string): string {
  return password.normalize('NFKC').toLowerCase();
}

/**
 * A {@link PasswordPolicy} that refuses the 10,000 most common passwords of 8 or more characters, offline
 * (reason `common`, message `is too common`). The list ships in the package: zxcvbn's ranking of ten
 * million leaked passwords (see `scripts/common-passwords.mjs`). The match is exact and ignores case
 * (`Password1` is `password1`), with nothing stripped: `password1!` is not on the list.
 *
 * `createAuth` from `latchkey` uses it when the `passwordPolicy` option is not given.
 *
 * @example
 * ```ts
 * import { commonPasswordPolicy, hibpPasswordPolicy } from 'latchkey/adapters'
 *
 * const auth = createAuth({
 *   storage,
 *   passwordPolicy: [commonPasswordPolicy({ extra: ['acme', 'acme-cloud'] }), hibpPasswordPolicy()],
 * })
 * ```
 */
export function commonPasswordPolicy(options: CommonPasswordPolicyOptions = {}): PasswordPolicy {
  const extra = new Set([...(options.extra ?? [])].map(matchKey));
  return {
    async check(password) {
      const key = matchKey(password);
      if (bundledList().has(key) || extra.has(key)) return { ok: false, reason: 'common', message: 'is too common' };
      return { ok: true };
    },
  };
}
