import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bench/` and the repository root. */
export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const root = join(benchDir, '..');
