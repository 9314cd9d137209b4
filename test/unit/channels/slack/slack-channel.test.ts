import { SocketModeReceiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { AgentChannels } from '../../../../src/channels/slack/agent-channels.ts';
import {
  createSlackReceiver,
  isSlackConfigured,
  type SlackConfig,
} from '../../../../src/channels/slack/slack-channel.ts';
import { slackTextToPlain, withoutBotMention } from '../../../../src/channels/slack/slack-conversation.ts';
import { SlackHttpReceiver } from '../../../../src/channels/slack/slack-http-receiver.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import { silentLogger } from '../../../../src/core/logger.ts';

const base: SlackConfig = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret',
  SLACK_APP_TOKEN: undefined,
  SLACK_SOCKET_MODE: false,
  SLACK_API_URL: undefined,
  SLACK_ADMIN_USERS: '',
  SLACK_AGENT_CHANNELS: '',
};
const deps = { clock: new ManualClock(), log: silentLogger };

describe('Slack set-up', () => {
  it('is on only with bot token and signing secret', () => {
    expect(isSlackConfigured(base)).toBe(true);
    expect(isSlackConfigured({ ...base, SLACK_SIGNING_SECRET: undefined })).toBe(false);
    expect(isSlackConfigured({ ...base, SLACK_BOT_TOKEN: undefined })).toBe(false);
  });

  it('uses its own receiver over HTTP and Bolt’s Socket Mode receiver with an app token', async () => {
    const http = await createSlackReceiver(base, deps);
    expect(http.mode).toBe('http');
    expect(http.receiver).toBeInstanceOf(SlackHttpReceiver);
    const socket = await createSlackReceiver(
      { ...base, SLACK_SOCKET_MODE: true, SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' },
      deps,
    );
    expect(socket.mode).toBe('socket');
    expect(socket.receiver).toBeInstanceOf(SocketModeReceiver);
    expect(socket.http).toBeUndefined();
  });

  it('refuses Socket Mode without an app token, with a coded error', async () => {
    await expect(createSlackReceiver({ ...base, SLACK_SOCKET_MODE: true }, deps)).rejects.toThrow(
      expect.objectContaining({ code: 'slack_app_token_missing' }),
    );
  });
});

describe('AgentChannels', () => {
  const queues = ['general', 'network', 'identity'];

  it('maps queues to channels, unmapped queues to the default queue’s channel, level 3 to its own', () => {
    const channels = AgentChannels.parse('general=C1, network=C2,level3=G3', queues, 'general');
    expect(channels.channelFor('network')).toBe('C2');
    expect(channels.channelFor('identity')).toBe('C1');
    expect(channels.channelFor('network', 3)).toBe('G3');
    expect(channels.isAgentChannel('C2')).toBe(true);
    expect(channels.isAgentChannel('C9')).toBe(false);
  });

  it('lists every problem of a bad setting at once', () => {
    expect(() => AgentChannels.parse('general=C1,nope=C2,network', queues, 'general')).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        problems: expect.arrayContaining([expect.anything(), expect.anything()]),
      }),
    );
  });
});

describe('slackTextToPlain', () => {
  it('turns Slack markup into what the customer meant', () => {
    expect(
      slackTextToPlain(
        '<@U1|anna> <!channel> <!here> see <#C1|general> and <https://x.example/a?b=1&amp;c=2|the guide>',
      ),
    ).toBe('@anna @channel @here see #general and the guide (https://x.example/a?b=1&c=2)');
    expect(slackTextToPlain('mail <mailto:max@example.com|max@example.com> &lt;tag&gt;')).toBe(
      'mail max@example.com <tag>',
    );
  });

  it('drops the bot’s own mention from a mention', () => {
    expect(withoutBotMention('<@U0BOT> wie geht VPN?', 'U0BOT')).toBe('wie geht VPN?');
    expect(withoutBotMention('<@U0BOT|support>: hi', 'U0BOT')).toBe('hi');
  });
});
