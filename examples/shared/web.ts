import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The Content-Security-Policy of the demo page: its own scripts, styles and API only, images from
 * itself or `data:` (the TOTP QR code), no framing, no `<base>`, forms posting only to itself. The page
 * has no inline script or style, so nothing needs `'unsafe-inline'`.
 */
export const WEB_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

const PAGE = { file: 'index.html', type: 'text/html; charset=utf-8' } as const;

const FILES = {
  '/': PAGE,
  // Where the mails' links lead (`/verify-email#token=…`): the page itself, which takes the token from
  // the fragment and goes on at `/#/verify-email`.
  '/verify-email': PAGE,
  '/reset-password': PAGE,
  '/styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
  '/app.js': { file: 'dist/app.js', type: 'text/javascript; charset=utf-8' },
} as const;

/** A path of the demo web app: the page (also at the paths the mails link to), its styles, and its script bundle. */
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
 * the next reload. The page carries {@link WEB_CSP}; everything `nosniff` and `no-referrer` (the page's
 * URL never leaves it). A missing bundle is a 404 that says how to build it.
 *
 * @example
 * ```ts
 * for (const path of WEB_PATHS) app.get(path, async (c) => { const a = await webAsset(path); return c.body(a.body, a.status, a.headers) })
 * ```
 */
export async function webAsset(path: WebPath): Promise<WebAsset> {
  const { file, type } = FILES[path];
  const headers: Record<string, string> = {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (file === PAGE.file) headers['content-security-policy'] = WEB_CSP;
  try {
    return { status: 200, headers, body: await readFile(WEB_DIR + file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const hint = `${file} is missing: run \`npm run build:web\` (npm start builds it).`;
    return {
      status: 404,
      headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
      body: hint,
    };
  }
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
