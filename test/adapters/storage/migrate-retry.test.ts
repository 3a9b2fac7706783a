import { describe, expect, it } from 'vitest';
import { isCatalogRace } from '../../../src/adapters/storage/kysely/migrations/index.js';

describe('migrate: what is tried again', () => {
  const dropped = Object.assign(new Error('schema "lk_abc" does not exist'), { code: '3F000' });

  it('a schema dropped by another client while Kysely read the catalog, before any migration ran', () => {
    expect(isCatalogRace(dropped, [])).toBe(true);
    expect(isCatalogRace(new Error('schema "lk_x" does not exist'), [{ status: 'NotExecuted' }])).toBe(true);
  });

  it('never a migration that failed, nor any other error', () => {
    expect(isCatalogRace(dropped, [{ status: 'Error' }])).toBe(false);
    expect(isCatalogRace(Object.assign(new Error('duplicate key'), { code: '23505' }), [])).toBe(false);
    expect(isCatalogRace('boom', [])).toBe(false);
  });
});
