/** A black-box answer: the status, the parsed JSON body (undefined when it is not JSON), the text. */
export interface ApiResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: black-box responses, asserted field by field with expect()
  body: any;
  text: string;
}

/** One request to the bot's HTTP API, with a bearer token when given and a JSON body when given. */
export async function apiCall(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<ApiResult> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}
