import { DeskChannels, THIRD_LEVEL_KEY } from '../../handoff/desk-channels.ts';

export { THIRD_LEVEL_KEY };

/** Slack's agent channels: the queue-to-channel mapping Teams shares, with Slack channel ids. */
export type AgentChannels = DeskChannels;

export const AgentChannels = {
  /** SLACK_AGENT_CHANNELS (`general=C123,network=C456,level3=C789`); every problem reported at once. */
  parse(setting: string, knownQueues: string[], defaultQueue: string): DeskChannels {
    return DeskChannels.parse(
      setting,
      { field: 'SLACK_AGENT_CHANNELS', channelId: /^[CG][A-Z0-9]+$/, expected: 'queue=CHANNELID' },
      knownQueues,
      defaultQueue,
    );
  },
};
