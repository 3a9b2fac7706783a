import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The Content-Security-Policy of the demo page: its own scripts, styles and API only, images from
 * itself or `data:` (the TOTP QR code), no framing, no `<base>`, forms posting only to itself. The page
 * has no inline script or style, so nothing needs `'unsafe-inline'`.
 */
export const WEB_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The Content-Security-Policy of the API reference at `/docs` (Redoc): as strict as Redoc works under.
 * Scripts from the demo only (Redoc's bundle and the page's init file: no inline script, no `eval`),
 * the OpenAPI document fetched from the demo itself, and what Redoc needs beyond {@link WEB_CSP}:
 * `'unsafe-inline'` styles (its styled-components insert `<style>` elements at run time, and it renders
 * nothing without them) and `blob:` workers (its search index runs in a worker made from a Blob).
 * Images from itself or `data:`; no fonts, frames, forms or `<base>`. {@link WEB_CSP} stays as it is.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

/** Redoc's browser bundle, from node_modules wherever npm put it (null when redoc is not installed). */
function redocBundle(): string | null {
  try {
    return createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
  } catch {
    return null;
  }
}

/**
 * Redoc 2's sidebar footer always loads its logo from `https://cdn.redoc.ly` (there is no option to turn
 * it off). The demo makes no request to a third party, and {@link DOCS_CSP} would block this one with a
 * console error, so the bundle it serves shows an empty `data:` image there instead. A Redoc version
 * without that URL is served unchanged.
 */
export function withoutRedocCdn(bundle: string): string {
  return bundle.replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', EMPTY_IMAGE);
}

const EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

interface WebFile {
  /** An absolute path, or null when the package that holds it is not installed. */
  file: () => string | null;
  type: string;
  /** The Content-Security-Policy of an HTML page. */
  csp?: string;
  /** What to say when the file is missing. */
  missing: string;
  /** Changes the file's text before it is sent. */
  transform?: (text: string) => string;
}

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const BUILD_HINT = 'run `npm run build:web` (npm start builds it)';

const PAGE: WebFile = { file: () => WEB_DIR + 'index.html', type: HTML, csp: WEB_CSP, missing: 'examples/web/index.html is missing' };

const FILES = {
  '/': PAGE,
  // Where the mails' links lead (`/verify-email#token=…`): the page itself, which takes the token from
  // the fragment and goes on at `/#/verify-email`.
  '/verify-email': PAGE,
  '/reset-password': PAGE,
  '/styles.css': { file: () => WEB_DIR + 'styles.css', type: 'text/css; charset=utf-8', missing: 'examples/web/styles.css is missing' },
  '/app.js': { file: () => WEB_DIR + 'dist/app.js', type: JS, missing: `dist/app.js is missing: ${BUILD_HINT}.` },
  // The API reference: Redoc, from npm (no CDN), rendering the auth mount's `openapi.json`.
  '/docs': { file: () => WEB_DIR + 'docs.html', type: HTML, csp: DOCS_CSP, missing: 'examples/web/docs.html is missing' },
  '/docs/docs.js': { file: () => WEB_DIR + 'docs.js', type: JS, missing: 'examples/web/docs.js is missing' },
  '/docs/docs.css': { file: () => WEB_DIR + 'docs.css', type: 'text/css; charset=utf-8', missing: 'examples/web/docs.css is missing' },
  '/docs/redoc.standalone.js': {
    file: redocBundle,
    type: JS,
    missing: 'redoc is not installed: run `npm install` (it is a devDependency of the demo).',
    transform: withoutRedocCdn,
  },
} satisfies Record<string, WebFile>;

/** A path of the demo web app: the page (also at the paths the mails link to), its styles, its script bundle, and the API reference. */
export type WebPath = keyof typeof FILES;

/** Every path the apps serve the web app at. */
export const WEB_PATHS = Object.keys(FILES) as WebPath[];

/** One response of the web app, for the framework to send as is. */
export interface WebAsset {
  status: 200 | 404;
  headers: Record<string, string>;
  body: string;
}

/**
 * The file behind a web app path, with its headers. Read on every request and sent with
 * `cache-control: no-store`: this is a development demo, and an edited page or a rebuilt bundle shows on
 * the next reload. The page carries {@link WEB_CSP}, the API reference {@link DOCS_CSP}; everything
 * `nosniff` and `no-referrer` (the page's URL never leaves it). A missing file is a 404 that says how
 * to get it.
 *
 * @example
 * ```ts
 * for (const path of WEB_PATHS) app.get(path, async (c) => { const a = await webAsset(path); return c.body(a.body, a.status, a.headers) })
 * ```
 */
export async function webAsset(path: WebPath): Promise<WebAsset> {
  const { file, type, csp, missing, transform } = FILES[path] as WebFile;
  const headers: Record<string, string> = {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (csp) headers['content-security-policy'] = csp;
  const absolute = file();
  try {
    if (absolute) {
      const text = await readFile(absolute, 'utf8');
      return { status: 200, headers, body: transform ? transform(text) : text };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { status: 404, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: missing };
}

/** Where the web app asks how the server runs (see {@link demoConfigAsset}). */
export const DEMO_CONFIG_PATH = '/demo-config.json';

/** How the server runs, as far as the web app must know: `groups`, multi-group mode (`GROUPS=1`). */
export interface DemoConfig {
  groups: boolean;
}

/**
 * `GET /demo-config.json`, which the web app reads before its first call: in multi-group mode it calls
 * `/auth/{group}/…` and `/api/{group}/me` instead of `/auth/…` and `/api/me`. `no-store`, like the rest
 * of the web app, since a restart with or without `GROUPS=1` changes it.
 *
 * @example
 * ```ts
 * app.get(DEMO_CONFIG_PATH, (c) => { const a = demoConfigAsset({ groups }); return c.body(a.body, a.status, a.headers) })
 * ```
 */
export function demoConfigAsset(config: DemoConfig): WebAsset {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body: JSON.stringify({ groups: config.groups } satisfies DemoConfig),
  };
}
