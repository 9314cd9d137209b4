import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../src/channels/slack/slack-signature.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { spawnBot } from '../../support/bot-process.ts';
import { freePort } from '../../support/redis-server.ts';
import { SlackApiStandIn } from '../../support/slack-api-stand-in.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';

/**
 * SIGTERM in the middle of a burst, as a container platform stops a replica: /readyz turns 503 at
 * once, nothing new is accepted, and every message accepted before is answered once, before the
 * process exits 0.
 */
const SECRET = 'drain-signing-secret-0123456789abc';
const slack = new SlackApiStandIn({ teamId: 'T0DRAIN' });
const dataDir = mkdtempSync(join(tmpdir(), 'sb-drain-'));
let child: ChildProcess;
let base = '';

beforeAll(async () => {
  await slack.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  ({ child } = await spawnBot({
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      SLACK_BOT_TOKEN: 'xoxb-drain',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DRAIN_TIMEOUT_MS: '20000',
      // The burst's 120 customers all come from 127.0.0.1.
      WEB_NEW_CONVERSATIONS_PER_MINUTE: '10000',
    },
  }));
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await slack.stop();
});

type Outcome = 'accepted' | 'refused';

/** The web conversations of the burst, issued before it (as pages open them before typing). */
const chats: IssuedChat[] = [];

async function webMessage(n: number): Promise<{ outcome: Outcome; replies: Reply[] }> {
  const chat = chats[n];
  if (!chat) throw new Error(`no conversation ${n}`);
  try {
    const response = await fetch(`${base}/api/conversations/${chat.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${chat.token}` },
      body: JSON.stringify({ text: 'Wie richte ich das VPN ein?' }),
    });
    if (response.status !== 200) {
      await response.arrayBuffer();
      return { outcome: 'refused', replies: [] };
    }
    return { outcome: 'accepted', replies: ((await response.json()) as { replies: Reply[] }).replies };
  } catch {
    return { outcome: 'refused', replies: [] };
  }
}

async function slackMessage(n: number): Promise<Outcome> {
  const body = JSON.stringify({
    token: 'legacy',
    team_id: 'T0DRAIN',
    api_app_id: 'A0DRAIN',
    type: 'event_callback',
    event_id: `EvDrain${n}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel_type: 'im',
      channel: `DDRAIN${n}`,
      user: `UDRAIN${n}`,
      text: 'Ich habe mein Passwort vergessen',
      ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`,
    },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signSlackRequest(SECRET, timestamp, body),
      },
      body,
    });
    await response.arrayBuffer();
    return response.status === 200 ? 'accepted' : 'refused';
  } catch {
    return 'refused';
  }
}

describe('graceful drain on SIGTERM', () => {
  it('answers every accepted message once, refuses the rest, turns /readyz to 503 and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // A slow Slack API: the answers of acknowledged messages are still on their way at the stop.
    slack.responseDelayMs = 150;
    const burst = 120;
    for (let n = 0; n < burst; n++) chats.push(await openWebChat(base));
    const web: Promise<{ outcome: Outcome; replies: Reply[] }>[] = [];
    const slackOutcomes: Promise<Outcome>[] = [];
    let readyDuringDrain: number | undefined;
    for (let n = 0; n < burst; n++) {
      web.push(webMessage(n));
      slackOutcomes.push(slackMessage(n));
      if (n === burst / 3) {
        child.kill('SIGTERM');
        // The signal is handled on the process's next turn: ask until it has been.
        for (let i = 0; i < 50 && readyDuringDrain !== 503; i++) {
          readyDuringDrain = (await fetch(`${base}/readyz`).catch(() => undefined))?.status;
          if (readyDuringDrain !== 503) await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const webResults = await Promise.all(web);
    const slackResults = await Promise.all(slackOutcomes);
    expect(await exited).toBe(0);
    expect(readyDuringDrain).toBe(503);

    // Some of each were accepted before the stop, some refused after it.
    const acceptedWeb = webResults.filter((r) => r.outcome === 'accepted');
    expect(acceptedWeb.length).toBeGreaterThan(0);
    expect(acceptedWeb.length).toBeLessThan(burst);
    for (const result of acceptedWeb) expect(result.replies.map((r) => r.type)).toContain('answer');
    const acceptedSlack = slackResults.flatMap((outcome, n) => (outcome === 'accepted' ? [n] : []));
    expect(acceptedSlack.length).toBeGreaterThan(0);
    expect(acceptedSlack.length).toBeLessThan(burst);
    // Every acknowledged Slack message got its answer once; a refused one (Slack retries it elsewhere) none here.
    slackResults.forEach((outcome, n) => {
      expect(slack.postsPerChannel.get(`DDRAIN${n}`) ?? 0, `DDRAIN${n} (${outcome})`).toBe(
        outcome === 'accepted' ? 1 : 0,
      );
    });

    // Nothing left undelivered, nothing recorded twice.
    const stores = await createEmbeddedStores({ dataDir });
    try {
      expect(await stores.outbox.size()).toEqual({ items: 0, retrying: 0 });
      for (const [n, result] of webResults.entries()) {
        const conversation = await stores.conversations.get(chats[n]?.conversationId ?? '');
        const said = conversation?.transcript.filter((l) => l.from === 'customer').length ?? 0;
        expect(said, `web conversation ${n}`).toBe(result.outcome === 'accepted' ? 1 : 0);
      }
    } finally {
      await stores.close();
    }
  }, 90_000);
});
