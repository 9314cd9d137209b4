/**
 * `npm run loadtest`: simulated customers over the signed Slack HTTP path and the web chat,
 * against bot processes started as `npm start` runs them, on one Redis with AOF, with a local
 * stand-in for the Slack Web API. While it runs (unless --no-faults): one process is killed with
 * SIGKILL and started again, Redis is restarted, and Slack's API answers 500/429 for a minute.
 * It reports messages/s, p50/p99 from request to the visible reply (outside the fault windows),
 * Slack ack times, and the replies and tickets lost or duplicated.
 *
 * Customers behave as people do: each waits for the answer, reads, and writes again after
 * --think-ms on average (Slack itself allows one message per second per conversation).
 *
 *   npm run loadtest -- [--seconds 150] [--customers 1000] [--think-ms 2000] [--processes 2]
 *                       [--no-faults] [--slack-only] [--embedded] [--one-dm-each N]
 *
 * --one-dm-each N: N Slack users each send one DM, --customers of them in flight at a time (a
 * burst of first messages); the run ends when all have been answered or --seconds is up.
 * --embedded: one process on the embedded store (no REDIS_URL), as a bare `npm start` runs;
 * only with --processes 1 --slack-only --no-faults.
 */
import { createRedisStores } from '../../src/store/redis/redis-stores.ts';
import { SlackApiStandIn } from '../../test/support/slack-api-stand-in.ts';
import { BotProcess, ProductionRedis } from './cluster.ts';
import { type Balancer, SIGNING_SECRET, SlackCustomer, type Tally, TEAM, WebCustomer } from './customers.ts';
import {
  commandsPerMessage,
  countByMessage,
  lanesNaming,
  lanesWithItems,
  percentile,
  redisCalls,
  slowBySlice,
} from './report.ts';

interface Options {
  seconds: number;
  customers: number;
  /** A customer reads the answer and types the next message: this long on average (0.5–1.5 ×). */
  thinkMs: number;
  processes: number;
  faults: boolean;
  slackOnly: boolean;
  /** `redis` (the default) or `embedded`: one process on the embedded store, as `npm start` runs bare. */
  store: 'redis' | 'embedded';
  /**
   * With a count: that many Slack users, each sending one DM, `customers` of them in flight at a
   * time (the shape of a burst of first messages: a new conversation and user lookup for each).
   */
  oneDmEach: number;
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  return {
    seconds: value('--seconds', 150),
    customers: value('--customers', 1000),
    thinkMs: value('--think-ms', 2_000),
    processes: value('--processes', 2),
    faults: !args.includes('--no-faults'),
    slackOnly: args.includes('--slack-only'),
    store: args.includes('--embedded') ? 'embedded' : 'redis',
    oneDmEach: value('--one-dm-each', 0),
  };
}

const QUESTIONS = [
  'Wie richte ich das VPN ein?',
  'Ich habe mein Passwort vergessen',
  'How do I set up the VPN?',
  'Der Drucker druckt nicht',
  'I forgot my password',
];
const AGENT_CHANNEL = 'CLOADAGENTS';
const FORM = {
  type: 'submit-form',
  label: 'Senden',
  values: {
    summary: 'Laptop startet nicht',
    system: 'Laptop',
    error: '',
    since: 'heute',
    impact: 'one',
    urgency: 'hinders',
    contact: 'kim@example.com',
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const redis = new ProductionRedis();
  await redis.start();
  const slack = new SlackApiStandIn({ teamId: TEAM });
  await slack.start();
  const prefix = `load${Date.now()}:`;
  const embedded = options.store === 'embedded';
  if (embedded && (options.processes !== 1 || options.faults || !options.slackOnly)) {
    throw new Error(
      '--embedded runs one process, Slack only, without faults: add --processes 1 --slack-only --no-faults',
    );
  }
  const env = {
    ...(embedded ? {} : { REDIS_URL: redis.url, REDIS_PREFIX: prefix }),
    SLACK_BOT_TOKEN: 'xoxb-load',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_AGENT_CHANNELS: `general=${AGENT_CHANNEL}`,
    ADMIN_TOKEN: 'loadtest-admin-token',
    // Settings to compare (e.g. `SENTENCE_ENCODER=off`), KEY=VALUE split at spaces.
    ...Object.fromEntries(
      (process.env.LOADTEST_BOT_ENV ?? '')
        .split(' ')
        .filter((kv) => kv.includes('='))
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
  const bots = Array.from({ length: options.processes }, (_, i) => new BotProcess(`bot${i + 1}`, env));
  await Promise.all(bots.map((b) => b.start()));
  let turn = 0;
  const balancer: Balancer = {
    pick(avoid) {
      const live = bots.filter((b) => b.alive && b.url !== avoid);
      const pool = live.length > 0 ? live : bots;
      return (pool[turn++ % pool.length] as BotProcess).url;
    },
  };
  const tally: Tally = { samples: [], ackMs: [], lost: 0, retriedRequests: 0, unansweredBecause: {} };

  // How many posts one question gets in a DM, to know what a complete answer is.
  const probe = new SlackCustomer(
    0,
    slack,
    balancer,
    { samples: [], ackMs: [], lost: 0, retriedRequests: 0, unansweredBecause: {} },
    1,
  );
  await probe.say(QUESTIONS[0] as string, 10_000);
  await sleep(500);
  const repliesPerMessage = slack.postsPerChannel.get(probe.channel) ?? 1;

  const windows: [number, number][] = [];
  const started = Date.now();
  const until = started + options.seconds * 1_000;
  const faults = async () => {
    if (!options.faults) return;
    const at = (s: number) => sleep(Math.max(0, started + s * 1_000 - Date.now()));
    const victim = bots[bots.length - 1] as BotProcess;
    await at(20);
    let t = Date.now();
    await victim.kill();
    process.stderr.write(`fault: ${victim.name} killed with SIGKILL\n`);
    await sleep(3_000);
    await victim.start();
    windows.push([t, Date.now() + 10_000]);
    process.stderr.write(`fault: ${victim.name} started again\n`);
    await at(45);
    t = Date.now();
    await redis.restart();
    windows.push([t, Date.now() + 10_000]);
    process.stderr.write('fault: redis restarted\n');
    if (options.seconds >= 130) {
      await at(65);
      t = Date.now();
      slack.outage(60_000, [
        { kind: 'http-error', status: 500 },
        { kind: 'rate-limited', retryAfterSeconds: 1 },
      ]);
      windows.push([t, t + 70_000]);
      process.stderr.write('fault: slack api answers 500/429 for 60 s\n');
    }
  };

  const slackCustomers: SlackCustomer[] = [];
  const webCustomers: WebCustomer[] = [];
  const think = () => sleep(options.thinkMs * (0.5 + Math.random()));
  let nextUser = 0;
  const firstMessages = async () => {
    while (nextUser < options.oneDmEach && Date.now() < until) {
      const n = ++nextUser;
      const c = new SlackCustomer(n, slack, balancer, tally, repliesPerMessage);
      slackCustomers.push(c);
      await c.say(QUESTIONS[n % QUESTIONS.length] as string, 5_000);
    }
  };
  const customer = async (n: number) => {
    if (options.oneDmEach > 0) return firstMessages();
    // Customers arrive over the first seconds, not all at once.
    await sleep(Math.random() * Math.min(5_000, options.thinkMs * 2));
    if (options.slackOnly || n % 2 === 0) {
      const c = new SlackCustomer(n + 1, slack, balancer, tally, repliesPerMessage);
      slackCustomers.push(c);
      while (Date.now() < until) {
        await c.say(QUESTIONS[c.sent % QUESTIONS.length] as string, 5_000);
        await think();
      }
      return;
    }
    const c = new WebCustomer(n + 1, balancer, tally);
    webCustomers.push(c);
    // Every tenth web customer hands off once: a ticket and a card in the agents' channel.
    if (n % 10 === 1) {
      await c.send({ text: 'Ich möchte mit einem Menschen sprechen' }, 60_000);
      const replies = await c.send({ action: FORM }, 60_000);
      if (replies?.some((r) => r.type === 'ticket')) c.tickets += 1;
    }
    while (Date.now() < until) {
      await c.send({ text: QUESTIONS[c.sent % QUESTIONS.length] }, 60_000);
      await think();
    }
  };
  const cpuAtStart = bots.map((b) => b.cpuSeconds() ?? 0);
  const redisCallsAtStart = embedded ? undefined : await redisCalls(redis.url);
  const ownCpuAtStart = process.cpuUsage();
  await Promise.all([faults(), ...Array.from({ length: options.customers }, (_, n) => customer(n))]);
  const loadEnded = Date.now();
  const ownCpu = process.cpuUsage(ownCpuAtStart);
  // Commands the bots sent to Redis per answered message (a Redis restart resets the count).
  const redisPerMessage =
    redisCallsAtStart && !options.faults
      ? commandsPerMessage(redisCallsAtStart, await redisCalls(redis.url), tally.samples.length)
      : undefined;
  // Without faults the bots run throughout: their CPU per answered message is the steady cost,
  // whatever else shares the machine (wall-clock rates are not, on a busy machine).
  const botCpuSeconds = bots.reduce(
    (sum, b, i) => sum + (b.cpuSeconds() ?? Number.NaN) - (cpuAtStart[i] ?? 0),
    0,
  );

  // Everything accepted must arrive: wait for every DM to have all its answers.
  const drainUntil = Date.now() + 240_000;
  let slackLost = 0;
  const shortChannels: string[] = [];
  for (const c of slackCustomers) {
    // Every acknowledged message must be answered (one Slack never got a 200 for may be, or not).
    const ok = await slack.waitForPosts(
      c.channel,
      c.acked * repliesPerMessage,
      Math.max(1, drainUntil - Date.now()),
    );
    if (!ok) {
      slackLost += c.acked * repliesPerMessage - (slack.postsPerChannel.get(c.channel) ?? 0);
      shortChannels.push(
        `${c.channel}: ${slack.postsPerChannel.get(c.channel) ?? 0}/${c.acked * repliesPerMessage}`,
      );
    }
  }
  const unacknowledgedSlackMessages = slackCustomers.reduce((sum, c) => sum + c.sent - c.acked, 0);
  const stores = embedded ? undefined : await createRedisStores({ url: redis.url, prefix });
  // Cards and thread messages too: the agents' channel takes one post a second (Slack's pace).
  while (stores && (await stores.outbox.size()).items > 0 && Date.now() < drainUntil) await sleep(500);
  const leftInOutbox = stores ? (await stores.outbox.size()).items : 0;
  const waitingLanes = stores ? await lanesWithItems(redis.url, prefix) : {};
  // Where the replies of channels still short are: waiting in a lane (due when), or nowhere.
  const shortChannelLanes = stores
    ? await lanesNaming(
        redis.url,
        prefix,
        shortChannels.map((c) => c.split(':')[0] ?? c),
      )
    : {};
  await sleep(2_000);
  const slackDuplicated = slackCustomers.reduce(
    (sum, c) => sum + Math.max(0, (slack.postsPerChannel.get(c.channel) ?? 0) - c.sent * repliesPerMessage),
    0,
  );
  const tickets = stores ? await stores.tickets.list() : [];
  const handoffs = webCustomers.reduce((sum, c) => sum + c.tickets, 0);
  const ticketsPerConversation = new Map<string, number>();
  for (const t of tickets) {
    const key = t.conversation.conversationId;
    ticketsPerConversation.set(key, (ticketsPerConversation.get(key) ?? 0) + 1);
  }
  const cards = slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === AGENT_CHANNEL && !c.args.thread_ts);
  const cardsPerTicket = new Map<string, number>();
  for (const card of cards) {
    const id = /SUP-\d+/.exec(String(card.args.text))?.[0] ?? '?';
    cardsPerTicket.set(id, (cardsPerTicket.get(id) ?? 0) + 1);
  }
  let webDuplicated = 0;
  for (const c of webCustomers) {
    const conversation =
      stores && c.conversationId ? await stores.conversations.get(c.conversationId) : undefined;
    const said = conversation?.transcript.filter((l) => l.from === 'customer').length ?? 0;
    // The transcript keeps its last 200 lines; within them a turn must appear once.
    if (c.sent <= 100) webDuplicated += Math.max(0, said - c.sent);
  }
  await stores?.close();

  const inWindow = (at: number) => windows.some(([from, to]) => at >= from && at <= to);
  const calm = tally.samples.filter((s) => !inWindow(s.at));
  const seconds = (loadEnded - started) / 1_000;
  const windowSeconds = windows.reduce(
    (sum, [from, to]) => sum + (Math.min(to, loadEnded) - from) / 1_000,
    0,
  );
  const report = {
    processes: options.processes,
    store: options.store,
    customers: options.customers,
    faults: options.faults,
    seconds: Math.round(seconds),
    answered: tally.samples.length,
    messagesPerSecond: Math.round(tally.samples.length / seconds),
    messagesPerSecondOutsideFaults: Math.round(calm.length / Math.max(1, seconds - windowSeconds)),
    // What the customers can ask for at most: each writes again --think-ms after an answer, so
    // even instant answers give no more than customers / think time (Slack's pace per DM, one
    // post a second, lowers it further). A rate near this is the load model's, not the bot's.
    offeredAtMostPerSecond:
      options.thinkMs > 0 && options.oneDmEach === 0
        ? Math.round((options.customers * 1_000) / options.thinkMs)
        : null,
    p50Ms: Math.round(
      percentile(
        calm.map((s) => s.ms),
        50,
      ),
    ),
    p99Ms: Math.round(
      percentile(
        calm.map((s) => s.ms),
        99,
      ),
    ),
    // Apart per channel: a Slack reply's time includes Slack's pace of one post a second per DM.
    outsideFaultsByChannel: Object.fromEntries(
      (['slack', 'web', 'web first message', 'web with an open ticket'] as const).map((channel) => {
        const ms = calm
          .filter((s) =>
            channel === 'web first message'
              ? s.web === 'first'
              : channel === 'web with an open ticket'
                ? s.web === 'ticket'
                : s.channel === channel,
          )
          .map((s) => s.ms);
        return [
          channel,
          {
            answered: ms.length,
            p50Ms: Math.round(percentile(ms, 50)),
            p99Ms: Math.round(percentile(ms, 99)),
          },
        ];
      }),
    ),
    // Where the slow answers outside the fault windows were sent: 5-second slices of the run.
    slowOutsideFaults: slowBySlice(calm, started),
    botCpuMsPerMessage: options.faults
      ? undefined
      : Number(((botCpuSeconds * 1_000) / tally.samples.length).toFixed(2)),
    /** The simulated customers and the Slack stand-in: they share the machine with the bots. */
    loadCpuMsPerMessage: Number(((ownCpu.user + ownCpu.system) / 1_000 / tally.samples.length).toFixed(2)),
    redisCpuMsPerMessage: redisPerMessage?.cpuMs,
    redisCommandsPerMessage: redisPerMessage?.total,
    redisCommandsPerMessageByCommand: redisPerMessage?.top,
    slackAckP50Ms: Math.round(percentile(tally.ackMs, 50)),
    slackAckP99Ms: Math.round(percentile(tally.ackMs, 99)),
    retriedRequests: tally.retriedRequests,
    lostReplies: slackLost + tally.lost,
    lostSlackReplies: slackLost,
    /** Web messages that got no answer within a minute of retries (the customer would resend). */
    unansweredWebMessages: tally.lost,
    unansweredBecause: tally.unansweredBecause,
    shortSlackChannels: shortChannels.slice(0, 10),
    shortChannelLanes,
    // What the bots logged as errors (a message dropped for good would be among them), by message.
    botErrors: countByMessage(bots.flatMap((b) => b.errorLines())),
    unacknowledgedSlackMessages,
    duplicatedReplies: slackDuplicated + webDuplicated,
    /** Of those: Slack posts beyond the answers asked for, and web customer lines kept twice. */
    duplicatedSlackPosts: slackDuplicated,
    duplicatedWebLines: webDuplicated,
    tickets: tickets.length,
    handoffs,
    lostTickets: Math.max(0, handoffs - tickets.length),
    /** A conversation with more than one ticket: each one beyond the first is doubled. */
    duplicatedTickets: [...ticketsPerConversation.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    /** Tickets whose customer never saw the answer that named them (their request timed out). */
    ticketsNotToldInTime: Math.max(0, ticketsPerConversation.size - handoffs),
    cards: cards.length,
    duplicatedCards: [...cardsPerTicket.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    missingCards: Math.max(0, tickets.length - cardsPerTicket.size),
    leftInOutbox,
    waitingLanes,
    drainSeconds: Math.round((Date.now() - loadEnded) / 1_000),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  await Promise.all(bots.map((b) => (process.env.LOADTEST_KILL ? b.kill() : b.stop())));
  await slack.stop();
  await redis.stop();
}

await main();
process.exit(0);
