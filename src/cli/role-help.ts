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
