import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../../src/channels/slack/slack-action-codec.ts';
import type { Action } from '../../../src/core/action.ts';
import { AGENT_CHANNEL, TEAM, useSlackFixture } from './slack-fixture.ts';

interface Button {
  action_id: string;
  value: string;
  action?: Action | undefined;
}

function buttons(blocks: unknown[]): Button[] {
  return (blocks as { type: string; elements?: { type: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'button') as unknown as Button[])
    .map((b) => ({ ...b, action: decodeAction(b.value) }));
}

const HOUR = 3_600_000;

// A VPN incident in Slack: the real Bolt app with signed requests, the Slack API stand-in.
describe('an incident in Slack', () => {
  const fx = useSlackFixture(undefined, { customersConfig: () => 'config/customers.yaml' });
  const maxDm = 'DMAX1';
  const max = 'UMAX1';
  const lea = 'ULEA1';
  const leaDm = 'DLEA1';
  let id = '';

  it('tells a customer who reports a VPN fault at once and links the report; no ticket', async () => {
    fx.slack.addUser(max, 'Max Muster', 'de-DE');
    fx.slack.addUser(lea, 'Lea Lang', 'en-US');
    const declared = await fx.bot.incidents.declare(
      {
        kind: 'incident',
        service: 'vpn',
        endsAt: fx.clock.now() + 2 * HOUR,
        status: { de: 'Das VPN-Gateway ist ausgefallen.', en: 'The VPN gateway is down.' },
      },
      'Ada Admin',
    );
    if (!declared.ok) throw new Error(declared.message);
    id = declared.announcement.id;

    await fx.dm('Mein VPN verbindet seit heute Morgen nicht mehr', max, maxDm);
    await fx.settle();
    const [told] = fx.posted(maxDm);
    if (!told) throw new Error('nothing posted');
    const text = JSON.stringify(told.blocks);
    expect(text).toContain('Aktuelle Störung: VPN');
    expect(text).toContain('Das VPN-Gateway ist ausgefallen.');
    expect(text).toContain('Ihre Meldung ist bei dieser Störung vermerkt');
    expect(buttons(told.blocks).map((b) => b.action?.label)).toContain('Trotzdem Ticket eröffnen');
    expect(await fx.bot.stores.tickets.list()).toEqual([]);
    expect(fx.posted(AGENT_CHANNEL)).toEqual([]);

    await fx.dm('The VPN does not connect', lea, leaDm);
    await fx.settle();
    expect(JSON.stringify(fx.posted(leaDm)[0]?.blocks)).toContain('The VPN gateway is down.');
    const incident = await fx.bot.incidents.get(id);
    expect(incident?.links.map((l) => [l.conversationId, l.ref.channel, l.language])).toEqual([
      [`slack:${TEAM}:${maxDm}`, 'slack', 'de'],
      [`slack:${TEAM}:${leaDm}`, 'slack', 'en'],
    ]);
  });

  it('hands off when the customer insists, the ticket linked to the incident', async () => {
    // Typed rather than clicked: "trotzdem ein Ticket".
    await fx.dm('Ich brauche trotzdem ein Ticket', max, maxDm);
    const answers: Record<string, string> = {
      summary: 'VPN verbindet seit heute Morgen nicht mehr',
      system: 'VPN-Client',
      error: 'überspringen',
      since: 'seit heute Morgen',
      contact: 'max@muster-bau.example',
    };
    for (let step = 0; step < 12; step++) {
      await fx.settle();
      const last = fx.posted(maxDm).at(-1);
      if (!last || /SUP-\d+/.test(JSON.stringify(last.blocks))) break;
      const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:${maxDm}`);
      const field = conversation?.intake?.asking;
      const pick = buttons(last.blocks).find(
        (b) => b.action?.type === 'choose-value' || b.action?.type === 'consent' || b.action?.type === 'skip',
      );
      if (pick && (!field || !answers[field])) await fx.click(last, pick.action_id, pick.value, max);
      else await fx.dm(answers[field ?? 'summary'] ?? 'ja', max, maxDm);
    }
    await fx.settle();
    const [ticket] = await fx.bot.stores.tickets.list();
    expect(ticket).toMatchObject({ announcementId: id, status: 'queued' });
    expect(fx.posted(AGENT_CHANNEL)).toHaveLength(1);
    const incident = await fx.bot.incidents.get(id);
    expect(incident?.links.find((l) => l.conversationId.endsWith(maxDm))?.ticketId).toBe(ticket?.id);
  });

  it('tells everyone linked of the end once, in their language, in their DM', async () => {
    const ended = await fx.bot.incidents.end(id, 'Ada Admin');
    expect(ended.ok).toBe(true);
    await fx.settle();
    // Ended again (say from a second console tab): nobody hears of it twice.
    expect((await fx.bot.incidents.end(id, 'Ada Admin')).ok).toBe(true);
    await fx.settle();
    const toMax = fx
      .posted(maxDm)
      .filter((m) => JSON.stringify(m.blocks).includes('Die Störung von VPN ist behoben'));
    const toLea = fx
      .posted(leaDm)
      .filter((m) => JSON.stringify(m.blocks).includes('The incident with VPN is resolved'));
    expect(toMax).toHaveLength(1);
    expect(toLea).toHaveLength(1);
  });
});
