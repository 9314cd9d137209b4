import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { checkBotFiles } from '../bot-files/load-bot-files.ts';
import { type Config, parseConfig } from '../config/config.ts';
import { systemClock } from '../core/clock.ts';
import { ValidationFailedError } from '../core/errors.ts';
import { queueReplies } from '../delivery/outbox-reply-sink.ts';
import { ServiceCatalogue } from '../handoff/service-catalogue.ts';
import {
  type AnnouncementView,
  announcementView,
  DeclareBodySchema,
  EndBodySchema,
  UpdateBodySchema,
} from '../incidents/announcement-input.ts';
import { type DeskOutcome, IncidentDesk } from '../incidents/incident-desk.ts';
import { argsOrExit } from './command-args.ts';
import { openStoresUnlessBotRuns, runningBotToken, runningBotUrl } from './running-bot.ts';

interface IncidentIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `usage: support-bot incident list [--json]
       support-bot incident declare --kind incident|maintenance --service S --de TEXT --en TEXT
                                    [--start ISO] [--end ISO]
       support-bot incident update ID --de TEXT --en TEXT [--end ISO]
       support-bot incident end ID [--de TEXT --en TEXT]
  Maintenance windows and incidents of a service (services: customers.yaml). While one is active,
  customers asking about its service are told the status text at once, and their reports are
  linked to it; ending it tells everyone linked. Times like 2026-12-07T14:00:00+01:00; a
  maintenance window needs --end. With the embedded store and the bot running, the command asks
  the running bot (ADMIN_TOKEN or DATA_DIR/admin-token). Changes are in the audit log.`;

const ACTOR = 'command line';

type Request =
  | { kind: 'list' }
  | { kind: 'declare'; body: z.infer<typeof DeclareBodySchema> }
  | { kind: 'update'; id: string; body: z.infer<typeof UpdateBodySchema> }
  | { kind: 'end'; id: string; body: z.infer<typeof EndBodySchema> };

/** `support-bot incident list|declare|update|end`. */
export async function runIncident(args: string[], io: IncidentIo): Promise<number> {
  const parsed = argsOrExit(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          kind: { type: 'string' },
          service: { type: 'string' },
          de: { type: 'string' },
          en: { type: 'string' },
          start: { type: 'string' },
          end: { type: 'string' },
          json: { type: 'boolean' },
          help: { type: 'boolean' },
        },
      }),
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const request = readRequest(parsed.positionals, parsed.values, io);
  if (typeof request === 'number') return request;
  try {
    const config = parseConfig(io.env);
    const { support, customers } = await checkBotFiles(config);
    const stores = await openStoresUnlessBotRuns(config);
    if (!stores) return await askRunningBot(config, request, parsed.values.json === true, io);
    try {
      const desk = new IncidentDesk({
        stores,
        services: new ServiceCatalogue(customers.services),
        // The running bot's outbox pump tells the linked customers.
        delivery: queueReplies(stores.outbox),
        clock: systemClock,
        timeZone: support.businessHours.timezone,
      });
      if (request.kind === 'list') {
        const now = systemClock.now();
        const views = (await desk.list()).map((a) => announcementView(a, now));
        io.stdout.write(parsed.values.json ? `${JSON.stringify(views, null, 2)}\n` : listing(views));
        return 0;
      }
      const outcome = await apply(desk, request);
      if (!outcome.ok) {
        io.stderr.write(`${outcome.message}\n`);
        return outcome.status === 404 ? 1 : 2;
      }
      await stores.audit.append({
        at: systemClock.now(),
        actor: ACTOR,
        action: `incident.${request.kind}`,
        target: outcome.announcement.id,
        detail: `${outcome.announcement.kind} ${outcome.announcement.service}`,
      });
      io.stdout.write(summary(announcementView(outcome.announcement, systemClock.now())));
      return 0;
    } finally {
      await stores.close();
    }
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function readRequest(
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
  io: IncidentIo,
): Request | number {
  const [command, id, ...rest] = positionals;
  const text = (name: 'de' | 'en' | 'kind' | 'service' | 'start' | 'end') => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const both =
    text('de') === undefined && text('en') === undefined ? undefined : { de: text('de'), en: text('en') };
  const check = <T>(schema: z.ZodType<T>, body: unknown): T | number => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      io.stderr.write(`${optionOf(issue.path.map(String).join('.'))}: ${issue.message}\n`);
    }
    io.stderr.write(`${USAGE}\n`);
    return 2;
  };
  const withId = (make: (id: string) => Request | number): Request | number => {
    if (!id || rest.length > 0) {
      io.stderr.write(`${USAGE}\n`);
      return 2;
    }
    return make(id);
  };
  switch (positionals.length > 0 ? command : undefined) {
    case 'list':
      return positionals.length === 1 ? { kind: 'list' } : usage(io);
    case 'declare': {
      if (positionals.length !== 1) return usage(io);
      const body = check(DeclareBodySchema, {
        kind: text('kind'),
        service: text('service'),
        startsAt: text('start'),
        endsAt: text('end'),
        status: both,
      });
      return typeof body === 'number' ? body : { kind: 'declare', body };
    }
    case 'update':
      return withId((announcementId) => {
        const body = check(UpdateBodySchema, { text: both, endsAt: text('end') });
        return typeof body === 'number' ? body : { kind: 'update', id: announcementId, body };
      });
    case 'end':
      return withId((announcementId) => {
        const body = check(EndBodySchema, { text: both });
        return typeof body === 'number' ? body : { kind: 'end', id: announcementId, body };
      });
    default:
      return usage(io);
  }
}

function usage(io: IncidentIo): number {
  io.stderr.write(`${USAGE}\n`);
  return 2;
}

/** The option a body field came from, for the message. */
function optionOf(path: string): string {
  const options: Record<string, string> = {
    startsAt: '--start',
    endsAt: '--end',
    'status.de': '--de',
    'status.en': '--en',
    'text.de': '--de',
    'text.en': '--en',
    status: '--de/--en',
    text: '--de/--en',
  };
  return options[path] ?? `--${path}`;
}

function apply(desk: IncidentDesk, request: Exclude<Request, { kind: 'list' }>): Promise<DeskOutcome> {
  switch (request.kind) {
    case 'declare':
      return desk.declare(request.body, ACTOR);
    case 'update':
      return desk.update(request.id, request.body, ACTOR);
    case 'end':
      return desk.end(request.id, ACTOR, request.body.text);
  }
}

function summary(view: AnnouncementView): string {
  const state = view.endedAt ? `ended ${view.endedAt}` : view.active ? 'active' : `from ${view.startsAt}`;
  const end = view.endsAt && !view.endedAt ? `, expected end ${view.endsAt}` : '';
  return `${view.id} ${view.kind} ${view.service}: ${state}${end}, ${view.reports} report(s)\n`;
}

function listing(views: AnnouncementView[]): string {
  if (views.length === 0) return 'No maintenance windows or incidents.\n';
  return views.map((view) => `${summary(view).trimEnd()}\n    ${view.status.en}\n`).join('');
}

/** The embedded store belongs to the running bot: its admin API does the same. */
async function askRunningBot(
  config: Config,
  request: Request,
  json: boolean,
  io: IncidentIo,
): Promise<number> {
  const token = await runningBotToken(config);
  const base = runningBotUrl(config, '/api/admin/incidents');
  const call = (path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      // The API takes times as ISO text, as typed.
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const iso = (at: number | undefined) => (at === undefined ? undefined : new Date(at).toISOString());
  let response: Response;
  switch (request.kind) {
    case 'list':
      response = await call('');
      break;
    case 'declare':
      response = await call('', {
        ...request.body,
        startsAt: iso(request.body.startsAt),
        endsAt: iso(request.body.endsAt),
      });
      break;
    case 'update':
      response = await call(`/${encodeURIComponent(request.id)}/updates`, {
        ...request.body,
        endsAt: iso(request.body.endsAt),
      });
      break;
    case 'end':
      response = await call(`/${encodeURIComponent(request.id)}/end`, request.body);
      break;
  }
  const text = await response.text();
  if (!response.ok) {
    io.stderr.write(`the running bot answered ${response.status}: ${text}\n`);
    return response.status === 404 ? 1 : 2;
  }
  if (request.kind === 'list') {
    const views = (JSON.parse(text) as { announcements: AnnouncementView[] }).announcements;
    io.stdout.write(json ? `${JSON.stringify(views, null, 2)}\n` : listing(views));
  } else {
    io.stdout.write(summary(JSON.parse(text) as AnnouncementView));
  }
  return 0;
}
