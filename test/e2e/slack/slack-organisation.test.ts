import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM, useSlackFixture } from './slack-fixture.ts';

let dir = '';

/** One organisation known by its Enterprise Grid, one by its people's e-mail domain. */
const CUSTOMERS_YAML = `
tiers:
  standard: { name: { de: Standard, en: Standard } }
default: { tier: standard }
organisations:
  - id: grid-konzern
    name: Grid Konzern AG
    recognise: { slackEnterprises: [E0GRID] }
    contract: { model: block-hours, tier: standard, hoursBought: 40 }
  - id: kunde-mail
    name: Kunde per Mail GmbH
    recognise: { emailDomains: [kunde-mail.example] }
    contract: { model: block-hours, tier: standard, hoursBought: 12 }
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slack-organisation-'));
  await writeFile(join(dir, 'customers.yaml'), CUSTOMERS_YAML);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('which organisation a Slack customer belongs to', () => {
  const fx = useSlackFixture(
    (started) => {
      started.slack.addUser('UGRID1', 'Greta Grid', 'de-DE');
      started.slack.addUser('UMAIL1', 'Moritz Mail', 'de-DE', { email: 'Moritz@Kunde-Mail.example' });
      started.slack.addUser('UGRID2', 'Gerd Grid', 'de-DE', { enterprise: 'E0GRID' });
    },
    { customersConfig: () => join(dir, 'customers.yaml') },
  );

  /** A DM as Enterprise Grid sends it: the grid in the envelope and in its authorizations. */
  async function gridDm(user: string, text: string): Promise<void> {
    const ts = fx.nextTs();
    const body = JSON.stringify({
      token: 'legacy',
      team_id: TEAM,
      enterprise_id: 'E0GRID',
      api_app_id: 'A0SUPPORT',
      type: 'event_callback',
      event_id: fx.nextId('Ev'),
      event_time: Math.floor(fx.clock.now() / 1000),
      authorizations: [{ enterprise_id: 'E0GRID', team_id: TEAM, user_id: 'UBOT', is_bot: true }],
      event: { type: 'message', channel_type: 'im', channel: `D${user}`, user, text, ts, team: TEAM },
    });
    const res = await fx.post(body, 'application/json');
    expect(res.status).toBe(200);
    await fx.settle();
  }

  const answers = (channel: string) =>
    fx.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel)
      .map((c) => String(c.args.text));

  it('knows a customer by the Enterprise Grid the event came from', async () => {
    await gridDm('UGRID1', 'Wie viele Stunden habe ich noch?');
    expect(answers('DUGRID1').join('\n')).toMatch(/Grid Konzern AG.*40/s);
    const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:DUGRID1`);
    expect(conversation?.customer.identity).toEqual({ slackTeam: TEAM, slackEnterprise: 'E0GRID' });
  });

  it("knows a customer by their profile's grid when the event does not say", async () => {
    await fx.dm('Wie viele Stunden habe ich noch?', 'UGRID2', 'DUGRID2');
    await fx.settle();
    expect(answers('DUGRID2').join('\n')).toMatch(/Grid Konzern AG/);
  });

  it("knows a customer by their profile's e-mail domain, and asks Slack once for it", async () => {
    await fx.dm('Wie viele Stunden habe ich noch?', 'UMAIL1', 'DUMAIL1');
    await fx.dm('Wie viele Stunden haben wir noch?', 'UMAIL1', 'DUMAIL1');
    await fx.settle();
    // Each answer: the balance, then the general FAQ text on block hours.
    const balances = answers('DUMAIL1').filter((text) => text.startsWith('Blockstunden von'));
    expect(balances).toEqual([
      'Blockstunden von Kunde per Mail GmbH: noch 12 von 12 Stunden übrig (0 h verbraucht).',
      'Blockstunden von Kunde per Mail GmbH: noch 12 von 12 Stunden übrig (0 h verbraucht).',
    ]);
    const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:DUMAIL1`);
    expect(conversation?.customer.email).toBe('moritz@kunde-mail.example');
    const lookups = fx.slack.callsTo('users.info').filter((c) => c.args.user === 'UMAIL1');
    expect(lookups).toHaveLength(1);
  });

  it('asks Slack once about a user it cannot describe, also for messages arriving together', async () => {
    // UNONAME is not in the stand-in's directory: users.info answers user_not_found.
    await Promise.all([
      fx.dm('Wie richte ich das VPN ein?', 'UNONAME', 'DUNONAME'),
      fx.dm('Ich habe mein Passwort vergessen', 'UNONAME', 'DUNONAME'),
    ]);
    await fx.dm('Der Drucker druckt nicht', 'UNONAME', 'DUNONAME');
    await fx.settle();
    expect(answers('DUNONAME').length).toBeGreaterThanOrEqual(3);
    const lookups = fx.slack.attemptsOf('users.info').filter((c) => c.args.user === 'UNONAME');
    expect(lookups).toHaveLength(1);
  });

  it('gives a customer no organisation recognises the general answer', async () => {
    await fx.dm('Wie viele Stunden habe ich noch?');
    await fx.settle();
    expect(answers('DCUSTOMER1').join('\n')).not.toMatch(/Grid Konzern|Kunde per Mail/);
  });
});
