import { Agent, request } from 'undici';

/** Bodies without status per the Fetch standard: a Response with a body would throw. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * The `fetch` the Slack Web API client calls, on undici's `request` with a keep-alive pool.
 * Node's global fetch builds the whole Fetch machinery (streams, request and response objects)
 * per call: on a busy bot it took 0.32 ms of CPU per Slack call against 0.12 ms this way
 * (ARCHITECTURE.md, "Slack's Web API client"). The Web API client sends a form-encoded string;
 * anything else (file uploads as FormData) goes through the global fetch as before.
 */
export function createSlackApiFetch(): typeof fetch {
  const pool = new Agent({ keepAliveTimeout: 30_000 });
  return async (input, init) => {
    const body = init?.body;
    const plainBody =
      body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (!plainBody || input instanceof Request) return fetch(input, init);
    const answer = await request(String(input), {
      method: (init?.method ?? 'GET') as 'GET',
      headers: plainHeaders(init?.headers),
      body: body ?? null,
      signal: init?.signal ?? undefined,
      dispatcher: pool,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const bytes = await answer.body.arrayBuffer();
    return new Response(NULL_BODY_STATUS.has(answer.statusCode) ? null : bytes, {
      status: answer.statusCode,
      headers,
    });
  };
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  return headers as Record<string, string>;
}
