import { describe, expect, it } from 'vitest';
import { CUSTOMER, DM, TEAM, useSlackFixture } from './slack-fixture.ts';

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
  Buffer.alloc(300, 3),
]);

describe('files customers share in Slack', () => {
  const fx = useSlackFixture();

  async function share(text: string, files: { id: string; name: string }[]): Promise<void> {
    const res = await fx.event({
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      channel: DM,
      user: CUSTOMER,
      text,
      files,
      ts: fx.nextTs(),
      team: TEAM,
    });
    expect(res.status).toBe(200);
    await fx.settle();
  }

  const said = () =>
    fx.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === DM)
      .map((c) => String(c.args.text));

  it('fetches a shared screenshot with the bot token, keeps it, and refuses a program and an oversized file politely', async () => {
    fx.slack.addFile('F1', 'fehler.png', png);
    fx.slack.addFile(
      'F2',
      'fehler.png.exe',
      Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(50)]),
    );
    fx.slack.addFile('F3', 'riesig.png', Buffer.concat([png, Buffer.alloc(6000)]));
    await share('', [
      { id: 'F1', name: 'fehler.png' },
      { id: 'F2', name: 'fehler.png.exe' },
      { id: 'F3', name: 'riesig.png' },
    ]);
    const downloads = fx.slack.callsTo('file_download');
    // The oversized file is refused from files.info's size: never downloaded.
    expect(downloads.map((c) => c.path?.split('/')[2])).toEqual(['F1', 'F2']);
    expect(downloads.every((c) => c.token === 'xoxb-e2e-token')).toBe(true);
    const texts = said().join('\n');
    expect(texts).toContain('„fehler.png.exe“ kann ich leider nicht annehmen');
    expect(texts).toContain('„riesig.png“ ist leider zu groß (höchstens 5 kB)');
    expect(texts).toContain('ich habe „fehler.png“ aufbewahrt');
    const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:${DM}`);
    expect(conversation?.attachments?.map((a) => [a.name, a.contentType, a.size])).toEqual([
      ['fehler.png', 'image/png', png.length],
    ]);
  });
});
