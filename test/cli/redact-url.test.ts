import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from '../../src/cli/redact-url.js';

describe('redactUrl', () => {
  it('masks the password of a database URL', () => {
    expect(redactUrl('postgres://app:s3cret@db.example:5432/app')).toBe('postgres://app:***@db.example:5432/app');
    expect(redactUrl('mysql://root@127.0.0.1/test')).toBe('mysql://root@127.0.0.1/test');
  });

  it('masks the password of a URL it cannot parse, too: an error message must never carry it', () => {
    expect(redactUrl('postgres://app:s3cret@[bad')).toBe('postgres://app:***@[bad');
    expect(redactSecrets('Not a valid PostgreSQL URL: postgres://app:s3cret@[bad', 'postgres://app:s3cret@[bad')).not.toContain('s3cret');
  });
});
