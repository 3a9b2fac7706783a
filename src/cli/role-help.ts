/** The help of `latchkey grant-role` and `revoke-role` (kept apart so that `--help` loads no driver). */
export const GRANT_ROLE_HELP = `Usage: latchkey grant-role --url <database-url> [--group <id>] --email <address> --role <role>
       latchkey revoke-role --url <database-url> [--group <id>] --email <address> --role <role>

Grants a role to an account, or takes it back, working on the stored account directly: the first
admin of a group is made this way (--role admin). The same as auth.grantRole / auth.revokeRole, without
their events. Changing nothing when the account already holds (or lacks) the role is not an error.

Options:
  --url <database-url>     as for "latchkey migrate" (default: the DATABASE_URL environment variable);
                           the database must be migrated
  --table-prefix <prefix>  the tablePrefix given to kyselyStorage (default latchkey_)
  --group <id>             the account's group (default "default")
  --email <address>        the account's email address
  --role <role>            a lower-case letter, then up to 31 of a-z, 0-9, _ and - (e.g. admin)
  -h, --help               this help

Exit codes: 0 done (or nothing to change), 1 no such account or the database failed, 2 bad arguments.`;

/** The help of `latchkey import`. */
export const IMPORT_HELP = `Usage: LATCHKEY_TOKEN=<admin access token> latchkey import --url <auth base URL> [--group <id>] <file.csv|file.jsonl>

Imports accounts through POST /accounts/import of a running server, 1000 rows per request, reading the
file as it goes (any size). Each account is mailed a claim link that sets its password.

Options:
  --url <auth base URL>  where the auth routes are mounted, e.g. http://localhost:3000/auth
  --group <id>           the group, for a multi-group mount (requests go to <url>/<id>/accounts/import)
  -h, --help             this help

The access token of an admin of the group is read from LATCHKEY_TOKEN, never from the command line.

Files:
  .csv    a header row naming the columns email (required), first, last, roles (separated by ;)
          and passwordHash (optional: bcrypt, PHC argon2 or PBKDF2); RFC 4180 quoting
  .jsonl  one row per line in the API's shape: {"email":…,"name":{"first":…,"last":…},"roles":[…],"passwordHash":…}

Output: each failed row on stdout as a JSON line {"line":…,"email":…,"code":…,"message":…} (line numbers
of the file); progress and the summary (attempted, ok, failed) on stderr. A batch answered 429 is sent
again after Retry-After; one that met a network error, a few times.

Exit codes: 0 every row imported, 1 a row failed or the run stopped, 2 bad arguments.`;
