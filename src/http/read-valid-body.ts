import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readJson, sendError } from './http-json.ts';

/**
 * Reads a JSON body and checks it against `schema`. On a problem the answer (400 with every issue
 * by path, or the reader's 4xx) is sent and undefined returned, so a handler just returns.
 */
export async function readValidBody<T>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: z.ZodType<T>,
  message: string,
  limit?: number,
): Promise<T | undefined> {
  const body = await readJson(req, limit === undefined ? {} : { limit });
  if (!body.ok) {
    sendError(res, body.status, body.error, body.status === 413 ? { Connection: 'close' } : {});
    return undefined;
  }
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    sendError(res, 400, {
      code: 'invalid_body',
      message,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
    return undefined;
  }
  return parsed.data;
}
