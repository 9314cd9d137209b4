import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_HEADERS, sendError } from '../../http/http-json.ts';
import type { HttpServer } from '../../http/http-server.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Pages load only their own scripts and styles and talk only to this server. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * Libraries the pages import, as `/assets/vendor/{name}`: each package's own self-contained ES
 * module build, found through its package exports, so an upgrade needs no copy step.
 */
const VENDOR_MODULES: Record<string, string> = {
  'markdown-it.esm.min.mjs': 'markdown-it/browser',
  'purify.es.mjs': 'dompurify',
};

/**
 * Scripts the console loads as they are (not modules): Chart.js's own browser build, found beside
 * its package entry (its exports do not name the file).
 */
function vendorScripts(): Record<string, string> {
  const chartJs = dirname(createRequire(import.meta.url).resolve('chart.js'));
  return { 'chart.umd.js': join(chartJs, 'chart.umd.min.js') };
}

/**
 * Serves the chat page at `/`, the console at `/admin` and their assets at `/assets/{file}`.
 * Files are read once at start (a handful of small files), so a request never touches the disk
 * and no path from a request is ever joined onto the file system.
 */
export async function mountStaticPages(server: HttpServer, dir = PUBLIC_DIR): Promise<void> {
  const assets = new Map<string, Asset>();
  const load = async (name: string, path: string) => {
    const type = TYPES[extname(name)];
    if (!type) return;
    const body = await readFile(path);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    assets.set(name, { body, type, etag });
  };
  for (const name of await readdir(dir)) await load(name, join(dir, name));
  for (const [name, specifier] of Object.entries(VENDOR_MODULES)) {
    await load(`vendor/${name}`, fileURLToPath(import.meta.resolve(specifier)));
  }

  for (const [name, path] of Object.entries(vendorScripts())) await load(`vendor/${name}`, path);

  const serve = (name: string) => (req: IncomingMessage, res: ServerResponse) => {
    const asset = assets.get(name);
    if (!asset) {
      sendError(res, 404, { code: 'not_found', message: `No asset ${name}.` });
      return;
    }
    const headers: Record<string, string> = {
      ...BASE_HEADERS,
      'Content-Type': asset.type,
      ETag: asset.etag,
      // Revalidate every time: cheap with the ETag, and a new release is picked up at once.
      'Cache-Control': 'no-cache',
    };
    if (asset.type.startsWith('text/html')) headers['Content-Security-Policy'] = PAGE_CSP;
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(asset.body.length) });
    res.end(asset.body);
  };

  server.mount('GET', '/', serve('chat.html'));
  server.mount('GET', '/admin', serve('admin.html'));
  server.mount('GET', '/assets/:file', (req, res, params) => serve(params.file ?? '')(req, res));
  server.mount('GET', '/assets/vendor/:file', (req, res, params) =>
    serve(`vendor/${params.file ?? ''}`)(req, res),
  );
}
