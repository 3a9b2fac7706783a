// The demo's API reference (GET /docs): Redoc rendering the OpenAPI document that the demo's latchkey
// mount serves (`GET /auth/openapi.json`, or the root group's `GET /auth/default/openapi.json` in
// multi-group mode, `?group=acme` for another group). A file of its own rather than an inline script:
// the page's CSP (DOCS_CSP in examples/shared/web.ts) runs script from the demo's own files only.

const GROUP_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const ROOT_GROUP = 'default';

/** Where the document is: the server says at /demo-config.json whether latchkey is under /auth/{group}. */
async function documentUrl() {
  let groups = false;
  try {
    const response = await fetch('/demo-config.json', { cache: 'no-store' });
    groups = response.ok && (await response.json()).groups === true;
  } catch {
    // Single-group, as the web app assumes too.
  }
  if (!groups) return '/auth/openapi.json';
  const asked = new URLSearchParams(window.location.search).get('group');
  return `/auth/${asked && GROUP_ID.test(asked) ? asked : ROOT_GROUP}/openapi.json`;
}

function say(message, kind) {
  const status = document.getElementById('docs-status');
  status.textContent = message;
  status.dataset.kind = kind;
  status.hidden = message === '';
}

async function main() {
  const url = await documentUrl();
  document.getElementById('docs-source').textContent = `GET ${url}`;
  let spec;
  try {
    // Fetched here rather than by Redoc, so that a server without the route says so in a sentence.
    const response = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}${response.status === 404 ? ': this server does not serve its OpenAPI document' : ''}.`);
    spec = await response.json();
  } catch (error) {
    say(`The API reference could not load the OpenAPI document. ${error instanceof Error ? error.message : ''}`.trim(), 'error');
    return;
  }
  if (typeof window.Redoc?.init !== 'function') {
    say('Redoc did not load (/docs/redoc.standalone.js).', 'error');
    return;
  }
  window.Redoc.init(
    spec,
    { expandResponses: '200,201', sanitize: true, hideDownloadButton: false },
    document.getElementById('redoc'),
    (error) => (error ? say(`Redoc could not render the document: ${error.message ?? error}`, 'error') : say('', 'info')),
  );
}

void main();
