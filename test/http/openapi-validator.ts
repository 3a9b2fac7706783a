import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type OpenApiDocument, openApiDocument } from '../../src/http/openapi/document.js';
import type { OpenApiMount } from '../../src/http/openapi/mount.js';
import type { OperationObject } from '../../src/http/openapi/operation.js';
import { routes } from '../../src/http/routes.js';
import type { HttpExchange } from '../../src/testing/http/observe.js';

/** The mount the conformance suite uses: `/auth`, and the options of the exchange's auth instance. */
export function mountOf(exchange: Pick<HttpExchange, 'auth' | 'groups'>): OpenApiMount {
  return { basePath: '/auth', groups: exchange.groups, webauthn: exchange.auth.options.webauthn !== undefined };
}

/**
 * The document's operation for a request, matched as the router matches: the first path (in the
 * document's order) whose template fits and that has the method (HEAD as GET). Undefined when none.
 */
export function findOperation(
  document: OpenApiDocument,
  method: string,
  path: string,
): { template: string; operation: OperationObject } | undefined {
  const { pathname } = new URL(path, 'http://127.0.0.1');
  const base = document.servers[0]!.url.replace(/\/$/, '');
  if (pathname !== base && !pathname.startsWith(base + '/')) return undefined;
  const below = pathname.slice(base.length) || '/';
  const wanted = method === 'HEAD' ? 'get' : method.toLowerCase();
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+') + '/?$');
    if (pattern.test(below) && item[wanted]) return { template, operation: item[wanted] };
  }
  return undefined;
}

/**
 * Checks answers against the OpenAPI document of their mount with Ajv (JSON Schema 2020-12, formats
 * checked): the status must be one the operation documents, and the JSON body must match that status's
 * schema (no body where none is documented). A path the document does not list must answer an error.
 */
export function contractChecker(): (exchange: HttpExchange) => void {
  // CommonJS under NodeNext: the class is the module's `default`.
  const ajv = new Ajv2020Module.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const documents = new Map<string, { document: OpenApiDocument; id: string }>();
  const validators = new WeakMap<object, ValidateFunction>();

  const documentFor = (mount: OpenApiMount) => {
    const key = `${mount.groups}-${mount.webauthn}`;
    let entry = documents.get(key);
    if (!entry) {
      const document = openApiDocument(routes, mount);
      const id = `https://latchkey.test/${key}/components`;
      // The components as one schema document, so `#/components/schemas/X` refs resolve in it.
      const rewritten = JSON.parse(JSON.stringify(document.components.schemas).replaceAll('#/components/schemas/', `${id}#/$defs/`));
      ajv.addSchema({ $id: id, $defs: rewritten });
      entry = { document, id };
      documents.set(key, entry);
    }
    return entry;
  };

  const validate = (schema: object, id: string, body: unknown): string | null => {
    const check = validators.get(schema) ?? ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', `${id}#/$defs/`)) as object);
    validators.set(schema, check);
    return check(body) ? null : ajv.errorsText(check.errors, { separator: '\n  ' });
  };

  return (exchange) => {
    const { method, path, response } = exchange;
    const { document, id } = documentFor(mountOf(exchange));
    const found = findOperation(document, method, path);
    const where = `${method} ${path} → ${response.status} ${response.text.slice(0, 300)}`;
    if (!found) {
      // Not a documented operation (an unknown path or method, a passkey route without passkeys): an error.
      if (response.status < 400) throw new Error(`undocumented operation answered a success: ${where}`);
      const problem = validate(document.components.schemas.Error!, id, response.body);
      if (problem) throw new Error(`undocumented operation answered a malformed error: ${where}\n  ${problem}`);
      return;
    }
    const documented = found.operation.responses[String(response.status)];
    if (!documented) {
      throw new Error(`${found.operation.operationId} (${found.template}) does not document status ${response.status}: ${where}`);
    }
    const schema = documented.content?.['application/json']?.schema;
    if (method === 'HEAD') return;
    if (!schema) {
      if (response.text !== '') throw new Error(`${found.operation.operationId} documents no body for ${response.status}: ${where}`);
      return;
    }
    const problem = validate(schema, id, response.body);
    if (problem) throw new Error(`${found.operation.operationId}: the body does not match the document: ${where}\n  ${problem}`);
  };
}
