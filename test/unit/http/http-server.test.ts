import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { readJson, sendJson } from '../../../src/http/http-json.ts';
import { HttpServer } from '../../../src/http/http-server.ts';
import { createLogger } from '../../../src/ops/logger.ts';

let server: HttpServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(setup: (s: HttpServer) => void = () => {}): Promise<string> {
  server = new HttpServer({ port: 0, stopGraceMs: 500, readinessTimeoutMs: 100 });
  setup(server);
  return (await server.start()).url;
}

describe('HttpServer', () => {
  it('hands a mounted handler the untouched request, raw body included', async () => {
    const url = await start((s) =>
      s.mount('POST', '/slack/events', (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end(`${req.headers['x-slack-signature']}|${Buffer.concat(chunks).toString()}`);
        });
      }),
    );
    const raw = 'token=abc&payload=%7B%22a%22%3A1%7D';
    const res = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'X-Slack-Signature': 'v0=abc', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: raw,
    });
    expect(await res.text()).toBe(`v0=abc|${raw}`);
  });

  it('passes path parameters, decoded', async () => {
    const url = await start((s) =>
      s.mount('GET', '/api/things/:id/parts/:part', (_req, res, params) => sendJson(res, 200, params)),
    );
    const res = await fetch(`${url}/api/things/a%20b/parts/7`);
    expect(await res.json()).toEqual({ id: 'a b', part: '7' });
  });

  it('answers 404 for unknown paths and 405 with Allow for known paths', async () => {
    const url = await start((s) => s.mount('POST', '/api/messages', (_req, res) => sendJson(res, 200, {})));
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'Nothing at /nope.' } });
    const wrong = await fetch(`${url}/api/messages`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('turns a throwing handler into a 500 with a request id, and keeps serving', async () => {
    const url = await start((s) =>
      s.mount('GET', '/boom', () => {
        throw new Error('kaputt');
      }),
    );
    const res = await fetch(`${url}/boom`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal_error');
    expect(body.error.message).toContain(res.headers.get('x-request-id') ?? 'missing');
    expect(body.error.message).not.toContain('kaputt');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await server?.metrics.value('http_errors_total', { route: '/boom' })).toBe(1);
  });

  it("logs the same request id the client sees in X-Request-Id, and keeps a load balancer's own", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
    server = new HttpServer({ port: 0, stopGraceMs: 500, log });
    server.mount('GET', '/boom', () => {
      throw new Error('kaputt');
    });
    const url = (await server.start()).url;
    const own = await fetch(`${url}/boom`);
    const ownId = own.headers.get('x-request-id') ?? '';
    expect(ownId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const given = await fetch(`${url}/boom`, { headers: { 'X-Request-Id': 'lb-4711-0815-abc' } });
    expect(given.headers.get('x-request-id')).toBe('lb-4711-0815-abc');
    const hostile = await fetch(`${url}/healthz`, {
      headers: { 'X-Request-Id': 'x"} {"level":"error injected' },
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => lines.filter((l) => l.msg === 'handler failed').length).toBe(2);
    const failed = lines.filter((l) => l.msg === 'handler failed').map((l) => l.requestId);
    expect(failed).toEqual([ownId, 'lb-4711-0815-abc']);
  });

  it('reports readiness as the worst check: degraded stays 200, down is 503', async () => {
    let store: 'ok' | 'degraded' | 'down' = 'degraded';
    const url = await start((s) => {
      s.addReadinessCheck({ name: 'store', check: () => ({ status: store, detail: 'redis reconnecting' }) });
      s.addReadinessCheck({ name: 'knowledge', check: async () => ({ status: 'ok' }) });
    });
    const degraded = await fetch(`${url}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({
      status: 'degraded',
      checks: { store: { status: 'degraded', detail: 'redis reconnecting' }, knowledge: { status: 'ok' } },
    });
    store = 'down';
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
  });

  it('counts a check that throws or hangs as down', async () => {
    const url = await start((s) => {
      s.addReadinessCheck({
        name: 'flaky',
        check: () => {
          throw new Error('no route to host');
        },
      });
      s.addReadinessCheck({ name: 'slow', check: () => new Promise(() => {}) });
    });
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, { status: string; detail: string }> };
    expect(body.checks.flaky).toEqual({ status: 'down', detail: 'no route to host' });
    expect(body.checks.slow?.status).toBe('down');
  });

  it('limits JSON bodies and says so', async () => {
    const url = await start((s) =>
      s.mount('POST', '/echo', async (req, res) => {
        const body = await readJson(req, { limit: 16 });
        if (body.ok) sendJson(res, 200, body.value);
        else sendJson(res, body.status, { error: body.error });
      }),
    );
    const json = { 'Content-Type': 'application/json' };
    const ok = await fetch(`${url}/echo`, { method: 'POST', headers: json, body: '{"a":1}' });
    expect(await ok.json()).toEqual({ a: 1 });
    const big = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ a: 'x'.repeat(100) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain('16 bytes');
  });

  it('limits a chunked body without a Content-Length too', async () => {
    const url = new URL(
      await start((s) =>
        s.mount('POST', '/echo', async (req, res) => {
          const body = await readJson(req, { limit: 16 });
          sendJson(res, body.ok ? 200 : body.status, body.ok ? body.value : { error: body.error });
        }),
      ),
    );
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/echo',
          method: 'POST',
          headers: { 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"a":"');
      req.write('x'.repeat(64));
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it('stops gracefully: a request in flight finishes, readiness reports stopping, hooks run first', async () => {
    let release: () => void = () => {};
    const order: string[] = [];
    const url = await start((s) => {
      s.mount('GET', '/slow', async (_req, res) => {
        await new Promise<void>((r) => {
          release = r;
        });
        sendJson(res, 200, { done: true });
      });
      s.onStop(() => {
        order.push('hook');
        release();
      });
    });
    const inFlight = fetch(`${url}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const stopping = server?.stop().then(() => order.push('stopped'));
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await stopping;
    expect(order).toEqual(['hook', 'stopped']);
    expect((await server?.readiness())?.status).toBe('stopping');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('cuts connections that outlive the grace period', async () => {
    const url = await start((s) => s.mount('GET', '/hang', () => new Promise(() => {})));
    const hanging = fetch(`${url}/hang`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 50));
    await server?.stop();
    expect(await hanging).toBe('cut');
  });
});
