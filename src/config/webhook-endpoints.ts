import type { ValidationProblem } from '../core/errors.ts';

/** One helpdesk endpoint: where ticket events go, signed with its secret. */
export interface WebhookEndpoint {
  /** Stable per endpoint (its place in WEBHOOK_URL): names its outbox lanes across processes. */
  name: string;
  url: string;
  /** The `whsec_…` secret, as configured. */
  secret: string;
  /** Event types it wants; undefined for all. */
  events: ReadonlySet<string> | undefined;
}

type WebhookSettings = {
  WEBHOOK_URL?: string | undefined;
  WEBHOOK_SECRET?: string | undefined;
  WEBHOOK_EVENTS: string;
};

/** Standard Webhooks secrets: `whsec_` and base64 of the key (24 to 64 bytes recommended). */
const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
const EVENT_TYPES = new Set([
  'ticket.created',
  'ticket.claimed',
  'ticket.replied',
  'ticket.escalated',
  'ticket.resolved',
  'ticket.reopened',
  'ticket.time-recorded',
  'ticket.personal-data-erased',
  'contract.balance-low',
  'contract.balance-exhausted',
]);

const split = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter(Boolean);

/**
 * WEBHOOK_URL, WEBHOOK_SECRET and WEBHOOK_EVENTS as endpoints: several URLs separated by spaces,
 * each with its own secret and event list (or one of each for all). Every problem is listed.
 */
export function readWebhookEndpoints(
  settings: WebhookSettings,
): { ok: true; endpoints: WebhookEndpoint[] } | { ok: false; problems: ValidationProblem[] } {
  const urls = split(settings.WEBHOOK_URL);
  const secrets = split(settings.WEBHOOK_SECRET);
  const eventLists = split(settings.WEBHOOK_EVENTS);
  const problems: ValidationProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ source: 'env', field, message });
  if (urls.length === 0) {
    if (secrets.length > 0) problem('WEBHOOK_SECRET', 'set WEBHOOK_URL too, or unset this');
    return problems.length > 0 ? { ok: false, problems } : { ok: true, endpoints: [] };
  }
  urls.forEach((url, i) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      // An unparsable URL is exactly what this reports.
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol))
      problem('WEBHOOK_URL', `endpoint ${i + 1}: not an http(s) URL`);
  });
  if (secrets.length !== 1 && secrets.length !== urls.length) {
    problem('WEBHOOK_SECRET', `give one secret, or one per endpoint (${urls.length})`);
  }
  secrets.forEach((secret, i) => {
    if (!SECRET.test(secret)) problem('WEBHOOK_SECRET', `secret ${i + 1}: use whsec_ followed by base64`);
  });
  if (eventLists.length !== 1 && eventLists.length !== urls.length) {
    problem('WEBHOOK_EVENTS', `give one event list, or one per endpoint (${urls.length})`);
  }
  for (const list of eventLists) {
    for (const type of list.split(',')) {
      if (type !== '*' && !EVENT_TYPES.has(type)) {
        problem('WEBHOOK_EVENTS', `unknown event "${type}" (known: ${[...EVENT_TYPES].join(', ')})`);
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const endpoints = urls.map((url, i) => {
    const list = (eventLists.length === 1 ? eventLists[0] : eventLists[i]) ?? '*';
    const types = list.split(',');
    return {
      name: `webhook-${i + 1}`,
      url,
      secret: (secrets.length === 1 ? secrets[0] : secrets[i]) ?? '',
      events: types.includes('*') ? undefined : new Set(types),
    };
  });
  return { ok: true, endpoints };
}
