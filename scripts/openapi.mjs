// `npm run openapi:lint`: the OpenAPI document that the built package serves (`GET /openapi.json`), for a
// mount with every feature on (passkeys configured), in single-group and in multi-group mode, written to
// a directory (a temporary one, or `--out <dir>`) and linted with Redocly's recommended rules: any error
// fails, warnings are shown. Reads dist/: run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/fetch.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}
const { createAuth } = await import(join(root, 'dist/index.js'));
const { memoryStorage } = await import(join(root, 'dist/memory.js'));
const { createFetchHandler } = await import(join(root, 'dist/fetch.js'));

const at = process.argv.indexOf('--out');
const out = at === -1 ? mkdtempSync(join(tmpdir(), 'latchkey-openapi-')) : resolve(process.argv[at + 1] ?? '.');
mkdirSync(out, { recursive: true });

const files = [];
for (const [name, groups, path] of [
  ['openapi.json', false, '/auth/openapi.json'],
  ['openapi-groups.json', true, '/auth/default/openapi.json'],
]) {
  const auth = createAuth({
    storage: memoryStorage(),
    secret: randomBytes(32).toString('base64url'),
    webauthn: { rpID: 'example.com', origins: ['https://example.com'] },
  });
  const response = await createFetchHandler(auth, { groups })(new Request(`http://localhost${path}`));
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  const file = join(out, name);
  writeFileSync(file, JSON.stringify(await response.json(), null, 2) + '\n');
  files.push(file);
}

console.log(`OpenAPI documents written to ${out}`);
const redocly = join(root, 'node_modules/@redocly/cli/bin/cli.js');
const { status } = spawnSync(process.execPath, [redocly, 'lint', ...files], { stdio: 'inherit', cwd: root });
process.exit(status ?? 1);
