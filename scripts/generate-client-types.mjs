// `npm run generate:client` (tsx scripts/generate-client-types.mjs): writes src/client/schema.ts, the
// route types of latchkey/client, from the OpenAPI document the server builds out of its route table.
// The document is the one of the mount the client targets: single-group (a multi-group client's baseUrl
// is /auth/{group}, under which the paths are the same), with passkeys and administration, so every
// route. openapi-typescript (v7) turns it into types. The same route table always gives the same file,
// byte for byte, so CI regenerates it and fails on a diff (.ci/run). Run with tsx: it imports src/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../src/http/openapi/document.ts';
import { routes } from '../src/http/routes.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src/client/schema.ts');

const HEADER = `/**
 * GENERATED: do not edit. \`npm run generate:client\` (scripts/generate-client-types.mjs) writes it with
 * openapi-typescript from the OpenAPI document of latchkey's route table (\`GET /auth/openapi.json\` of a
 * single-group mount with passkeys configured: every route). CI fails when it differs from what the
 * route table generates.
 *
 * Paths are relative to the mount (\`/auth\`, or \`/auth/{group}\` in multi-group mode). It is a \`.ts\`
 * file (types only, nothing at run time), not a \`.d.ts\`, so that the import graph of src/ sees it.
 */

`;

const document = openApiDocument(routes, { basePath: '/auth', groups: false, webauthn: true });
const dir = mkdtempSync(join(tmpdir(), 'latchkey-client-types-'));
try {
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(document, null, 2) + '\n');
  const ast = await openapiTS(pathToFileURL(file), { silent: true });
  // openapi-typescript marks the types of `const` schemas `@constant`, a tag TSDoc does not have (the
  // API reference's TypeDoc warns of it); the literal type says as much.
  const types = astToString(ast).replace(/^[ \t]*\/\*\* @constant \*\/\n/gm, '').replace(/^[ \t]*\* @constant\n/gm, '');
  writeFileSync(target, HEADER + types);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`wrote ${target.slice(root.length + 1)}`);
