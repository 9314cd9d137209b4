import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity } from 'botbuilder';
import type { Logger } from '../../core/logger.ts';
import { readJson, sendError, sendJson } from '../web/http-json.ts';
import type { RouteHandler } from '../web/http-server.ts';
import { InboundActivitySchema } from './teams-activity.ts';
import type { TeamsAdapter, TurnLogic } from './teams-adapter.ts';
import { isLoopbackUrl, type TeamsAuth } from './teams-auth.ts';

/** Teams activities are small; attachments and entities still fit well within this. */
const MAX_ACTIVITY_BYTES = 256 * 1024;

export interface TeamsRouteOptions {
  auth: TeamsAuth;
  /** Absent when the channel is off. */
  adapter?: TeamsAdapter | undefined;
  logic: TurnLogic;
  log: Logger;
}

function authorization(req: IncomingMessage): string {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header : '';
}

/**
 * `POST /api/messages`: reads and checks the activity, then hands it to botbuilder.
 * Off (no credentials, no local flag): 401. Local mode: only loopback serviceUrls, because the
 * bot calls that URL back without any token. With credentials: a request without a bearer token
 * is refused at once; botbuilder validates the token itself.
 */
export function createTeamsRoute(options: TeamsRouteOptions): RouteHandler {
  const { auth, log } = options;
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (auth.kind === 'off' || !options.adapter) {
      req.resume();
      sendError(res, 401, {
        code: 'teams_disabled',
        message:
          'The Teams channel is off: set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID (or TEAMS_ALLOW_UNAUTHENTICATED=true for local tools).',
      });
      return;
    }
    const header = authorization(req);
    if (auth.kind === 'authenticated' && !/^Bearer\s+\S/i.test(header)) {
      req.resume();
      sendError(res, 401, { code: 'unauthorized', message: 'A Bot Framework bearer token is required.' });
      return;
    }
    const body = await readJson(req, { limit: MAX_ACTIVITY_BYTES });
    if (!body.ok) {
      sendError(res, body.status, body.error);
      return;
    }
    const parsed = InboundActivitySchema.safeParse(body.value);
    if (!parsed.success) {
      sendError(res, 400, {
        code: 'invalid_activity',
        message: 'The body is not a Bot Framework activity.',
        issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
      return;
    }
    const activity = parsed.data;
    if (auth.kind === 'local' && !isLoopbackUrl(activity.serviceUrl)) {
      log.warn('teams activity refused: serviceUrl is not loopback in local mode', {
        serviceUrl: activity.serviceUrl,
      });
      sendError(res, 403, {
        code: 'service_url_not_allowed',
        message: 'Without credentials only local (loopback) serviceUrls are accepted.',
      });
      return;
    }
    const outcome = await options.adapter.run(header, activity as unknown as Activity, options.logic);
    if (!outcome.ok) {
      sendError(res, outcome.status, { code: outcome.code, message: outcome.message });
      return;
    }
    const invoke = outcome.invokeResponse;
    if (!invoke) {
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
      return;
    }
    if (invoke.body === undefined) {
      res.writeHead(invoke.status, { 'Content-Length': '0' });
      res.end();
      return;
    }
    sendJson(res, invoke.status, invoke.body);
  };
}
