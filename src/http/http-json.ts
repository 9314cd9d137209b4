import type { IncomingMessage, ServerResponse } from 'node:http';

/** The error shape every JSON route answers with: `{"error": {"code", "message"}}`. */
export interface ApiError {
  code: string;
  message: string;
  /** Field-level problems (validation), when there are any. */
  issues?: { path: string; message: string }[] | undefined;
}

export type BodyResult<T> = { ok: true; value: T } | { ok: false; status: number; error: ApiError };

export const DEFAULT_JSON_LIMIT = 64 * 1024;

/** Headers every response carries; pages add their own Content-Security-Policy. */
export const BASE_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error }, headers);
}

/**
 * Reads the raw body up to `limit` bytes. On overflow it stops buffering, answers with a value
 * (not a throw) and lets the caller respond 413; the connection is closed after that response
 * so a client that keeps sending cannot hold it open.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult<Buffer>> {
  const tooLarge = (): BodyResult<Buffer> => ({
    ok: false,
    status: 413,
    error: { code: 'body_too_large', message: `Request body is larger than the limit of ${limit} bytes.` },
  });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(tooLarge());
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult<Buffer>) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, value: Buffer.concat(chunks) }));
    req.on('error', (error) =>
      finish({ ok: false, status: 400, error: { code: 'body_unreadable', message: error.message } }),
    );
    req.on('aborted', () =>
      finish({ ok: false, status: 400, error: { code: 'body_unreadable', message: 'request aborted' } }),
    );
  });
}

/** Reads and parses a JSON body (object or array). Empty body counts as `{}` only when allowed. */
export async function readJson(
  req: IncomingMessage,
  options: { limit?: number; allowEmpty?: boolean } = {},
): Promise<BodyResult<unknown>> {
  // A JSON content type is required for any body: a cross-site form or a `text/plain` fetch can
  // post without a CORS preflight, application/json cannot.
  const unsupported: BodyResult<unknown> = {
    ok: false,
    status: 415,
    error: { code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  };
  const type = req.headers['content-type'];
  const isJson = type !== undefined && /^application\/(?:[\w.+-]+\+)?json\b/i.test(type);
  if (type !== undefined && !isJson) {
    req.resume();
    return unsupported;
  }
  const body = await readBody(req, options.limit ?? DEFAULT_JSON_LIMIT);
  if (!body.ok) return body;
  const text = body.value.toString('utf8');
  // Without a content type only an empty body passes (a bare POST that carries no data).
  if (!isJson && body.value.length > 0) return unsupported;
  if (text.trim() === '') {
    if (options.allowEmpty) return { ok: true, value: {} };
    return { ok: false, status: 400, error: { code: 'body_missing', message: 'Expected a JSON body.' } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: 400,
      error: { code: 'invalid_json', message: `Body is not valid JSON: ${detail}` },
    };
  }
}
