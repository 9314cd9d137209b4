import { ValidationFailedError } from '../../core/errors.ts';

/** Key in SLACK_AGENT_CHANNELS for tickets escalated to third-level support. */
export const THIRD_LEVEL_KEY = 'level3';

/**
 * Which Slack channel each second-level queue works in, from SLACK_AGENT_CHANNELS
 * (`general=C123,network=C456,level3=C789`). Queues without a channel of their own use the
 * default queue's channel, so no ticket goes unseen.
 */
export class AgentChannels {
  private readonly byQueue: ReadonlyMap<string, string>;

  constructor(
    byQueue: Map<string, string>,
    private readonly defaultQueue: string,
  ) {
    this.byQueue = byQueue;
  }

  /** Parses the setting; unknown queues and malformed pairs are all reported at once. */
  static parse(setting: string, knownQueues: string[], defaultQueue: string): AgentChannels {
    const map = new Map<string, string>();
    const problems: { source: string; field: string; message: string }[] = [];
    for (const pair of setting
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')) {
      const match = /^([a-z0-9-]+|level3)\s*=\s*([CG][A-Z0-9]+)$/.exec(pair);
      if (!match?.[1] || !match[2]) {
        problems.push({
          source: 'env',
          field: 'SLACK_AGENT_CHANNELS',
          message: `"${pair}" is not queue=CHANNELID`,
        });
        continue;
      }
      if (match[1] !== THIRD_LEVEL_KEY && !knownQueues.includes(match[1])) {
        problems.push({
          source: 'env',
          field: 'SLACK_AGENT_CHANNELS',
          message: `unknown queue "${match[1]}"`,
        });
        continue;
      }
      map.set(match[1], match[2]);
    }
    if (problems.length > 0) throw new ValidationFailedError('Invalid Slack agent channels', problems);
    return new AgentChannels(map, defaultQueue);
  }

  /** The channel for a ticket in this queue (third level first when the ticket is there). */
  channelFor(queue: string, level: 2 | 3 = 2): string | undefined {
    if (level === 3 && this.byQueue.has(THIRD_LEVEL_KEY)) return this.byQueue.get(THIRD_LEVEL_KEY);
    return this.byQueue.get(queue) ?? this.byQueue.get(this.defaultQueue);
  }

  /** Whether messages in this channel are agent work (thread replies are relayed). */
  isAgentChannel(channel: string): boolean {
    for (const id of this.byQueue.values()) if (id === channel) return true;
    return false;
  }

  get size(): number {
    return this.byQueue.size;
  }
}
