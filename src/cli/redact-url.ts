/** What replaces a password in anything latchkey prints. */
const MASK = '***';

/** Query parameters that carry a password in PostgreSQL and MySQL URLs. */
const SECRET_PARAMS = ['password', 'pass', 'sslpassword'];

/**
 * The database URL as it may be printed: the password (in the user info or a `password=` parameter)
 * replaced by `***`. A value that is not a URL (a SQLite path) comes back unchanged.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:s3cret@db:5432/app'); // 'postgres://app:***@db:5432/app'
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Unparsable, yet it may still hold `user:password@`: mask what sits between the first `:` after
    // the scheme and the last `@` before the host.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^/?#]*@/i, `$1${MASK}@`);
  }
  if (parsed.protocol === 'file:' || parsed.protocol === 'sqlite:') return url;
  if (parsed.password) parsed.password = MASK;
  for (const name of SECRET_PARAMS) {
    if (parsed.searchParams.has(name)) parsed.searchParams.set(name, MASK);
  }
  return parsed.toString();
}

/**
 * `text` with every secret of `url` (its password, raw and percent-decoded, and `password=` values)
 * replaced by `***`: for error messages, which drivers sometimes build from the connection settings.
 * A very short password is masked wherever its text appears: garbled text beats a leaked secret.
 *
 * @example
 * ```ts
 * redactSecrets(error.message, url); // 'password authentication failed for user "app"' stays as it is
 * ```
 */
export function redactSecrets(text: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text.replaceAll(url, redactUrl(url));
  }
  const secrets = new Set<string>();
  if (parsed.password) {
    secrets.add(parsed.password);
    secrets.add(safeDecode(parsed.password));
  }
  for (const name of SECRET_PARAMS) {
    const value = parsed.searchParams.get(name);
    if (value) secrets.add(value);
  }
  let result = text.replaceAll(url, redactUrl(url));
  // Longest first, so that a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.replaceAll(secret, MASK);
  }
  return result;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
