import { applyPatch, type Operation } from 'rfc6902';
import { AuthError, type ErrorDetail } from '../../errors.js';

/** One RFC 6902 operation, as the patch operations take it (see `JsonPatchOperation`). */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies an RFC 6902 patch to a copy of `document`, all or nothing: every `path` (and `from`) must
 * pass `allowed`, and the first failing operation (a `test` included) rejects the whole patch. The
 * result is unchecked: the caller validates its shape.
 *
 * @throws AuthError `validation_failed` (details name the operation as `0.path`, `0.from` …)
 */
export function applyJsonPatch(
  document: unknown,
  operations: PatchOperation[],
  allowed: { test: (pointer: string) => boolean; describe: string },
  message: string,
): unknown {
  const problems = operations.flatMap((operation, index) => checkOperation(operation, index, allowed));
  if (problems.length > 0) throw new AuthError('validation_failed', message, { details: problems });
  const copy: unknown = structuredClone(document);
  // rfc6902 goes on after a failed operation; the first failure rejects the whole patch.
  const results = applyPatch(copy, operations as Operation[]);
  const failed = results.findIndex((result) => result !== null);
  if (failed >= 0) {
    throw new AuthError('validation_failed', message, {
      details: [describeFailure(operations[failed]!, failed, results[failed]!)],
    });
  }
  return copy;
}

function checkOperation(
  operation: PatchOperation,
  index: number,
  allowed: { test: (pointer: string) => boolean; describe: string },
): ErrorDetail[] {
  const at = (field: string, message: string): ErrorDetail => ({ path: `${index}.${field}`, message });
  if (typeof operation !== 'object' || operation === null) return [{ path: String(index), message: 'must be an operation' }];
  const { op, path, from } = operation;
  if (!OPS.has(op)) return [at('op', 'must be add, remove, replace, move, copy or test')];
  const problems: ErrorDetail[] = [];
  if (typeof path !== 'string' || !allowed.test(path)) problems.push(at('path', allowed.describe));
  if ((op === 'move' || op === 'copy') && (typeof from !== 'string' || !allowed.test(from))) {
    problems.push(at('from', allowed.describe));
  }
  if ((op === 'add' || op === 'replace' || op === 'test') && operation.value === undefined) {
    problems.push(at('value', 'is required'));
  }
  return problems;
}

function describeFailure(operation: PatchOperation, index: number, error: Error): ErrorDetail {
  if (operation.op === 'test') return { path: String(index), message: 'test failed: the value is different' };
  const missingFrom = 'path' in error && error.path === operation.from && operation.path !== operation.from;
  return { path: `${index}.${missingFrom ? 'from' : 'path'}`, message: 'no value at this location' };
}
