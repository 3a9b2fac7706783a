import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { silentLogger } from '../../src/adapters/logger/silent.js';
import { memoryStorage } from '../../src/adapters/storage/memory/index.js';
import { operations } from '../../src/core/operations.js';
import { createAuth, type OperationInput, type OperationResult, type TokenResponse } from '../../src/index.js';
import { PASSWORD, TEST_SECRET } from '../core/helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const NAMES = Object.keys(operations);

/** What an editor shows on hover over `auth.<name>` in a file that imports latchkey. */
function hoverDocs(): Map<string, { documentation: string; tags: string[] }> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {},
  })!;
  const probe = join(ROOT, 'src/__hover_probe.ts');
  const text = `import { createAuth } from './index.js';\ndeclare const auth: ReturnType<typeof createAuth>;\n${NAMES.map((n) => `void auth.${n};`).join('\n')}\n`;
  const files = [...config.fileNames, probe];
  const service = ts.createLanguageService({
    getScriptFileNames: () => files,
    getScriptVersion: () => '1',
    getScriptSnapshot: (file) =>
      file === probe ? ts.ScriptSnapshot.fromString(text) : ts.sys.fileExists(file) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(file)!) : undefined,
    getCurrentDirectory: () => ROOT,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (file) => file === probe || ts.sys.fileExists(file),
    readFile: (file) => (file === probe ? text : ts.sys.readFile(file)),
  });
  const docs = new Map<string, { documentation: string; tags: string[] }>();
  for (const name of NAMES) {
    const info = service.getQuickInfoAtPosition(probe, text.indexOf(`void auth.${name};`) + 'void auth.'.length);
    docs.set(name, {
      documentation: ts.displayPartsToString(info?.documentation),
      tags: (info?.tags ?? []).map((tag) => tag.name),
    });
  }
  return docs;
}

describe('the operation table', () => {
  it('makes the facade: every operation, and nothing else besides options, events and logger', () => {
    const auth = createAuth({ storage: memoryStorage(), secret: TEST_SECRET, logger: silentLogger });
    expect(Object.keys(auth).sort()).toEqual([...NAMES, 'events', 'logger', 'options'].sort());
    for (const name of NAMES) expect(typeof (auth as unknown as Record<string, unknown>)[name]).toBe('function');
  });

  it('shows each operation’s own documentation, with an example, on hover over auth.<name>', () => {
    const docs = hoverDocs();
    const undocumented = NAMES.filter((name) => !docs.get(name)!.documentation.trim());
    const withoutExample = NAMES.filter((name) => !docs.get(name)!.tags.includes('example'));
    expect({ undocumented, withoutExample }).toEqual({ undocumented: [], withoutExample: [] });
    expect(docs.get('login')!.documentation).toMatch(/^Password login\./);
  }, 60_000);

  it('`group` is optional wherever it means the default group', async () => {
    const auth = createAuth({ storage: memoryStorage(), secret: TEST_SECRET, logger: silentLogger });
    await auth.register({ email: 'ada@example.com', password: PASSWORD });
    const { account, accessToken } = await auth.login({ email: 'ada@example.com', password: PASSWORD });
    const sessionId = (await auth.verifyAccessToken(accessToken)).sid;
    await expect(auth.getAccount({ accountId: account.id })).resolves.toMatchObject({ id: account.id, group: 'default' });
    await expect(auth.listSessions({ accountId: account.id, currentSessionId: sessionId })).resolves.toHaveLength(1);
    await expect(auth.listLogins({ accountId: account.id })).resolves.toMatchObject({ data: [expect.anything()] });
  });

  it('the instance’s options do not expose the secret', () => {
    const auth = createAuth({ storage: memoryStorage(), secret: TEST_SECRET, previousSecrets: [TEST_SECRET.split('').reverse().join('')], logger: silentLogger });
    expect(JSON.stringify(auth.options)).not.toContain(TEST_SECRET);
    expect(auth.options).not.toHaveProperty('secret');
    expect(auth.options).not.toHaveProperty('previousSecrets');
  });

  it('types every operation’s input and result by name, so a new operation needs no export of its own', () => {
    expectTypeOf<OperationInput<'login'>>().toHaveProperty('email');
    expectTypeOf<OperationResult<'login'>>().toEqualTypeOf<TokenResponse>();
    expectTypeOf<OperationInput<'getAccount'>['group']>().toEqualTypeOf<string | undefined>();
  });
});
