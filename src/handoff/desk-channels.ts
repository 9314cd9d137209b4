import { ValidationFailedError } from '../core/errors.ts';

/** Key in SLACK_AGENT_CHANNELS / TEAMS_AGENT_CHANNELS for tickets escalated to third-level support. */
export const THIRD_LEVEL_KEY = 'level3';

export interface DeskChannelsSetting {
  /** The environment variable, for the error messages. */
  field: string;
  /** What one channel id of this platform looks like. */
  channelId: RegExp;
  /** Shown when a pair is malformed, e.g. `queue=CHANNELID`. */
  expected: string;
}

/**
 * Which agent channel each second-level queue (and third level) works in on one platform, from a
 * setting like `general=C123,network=C456,level3=C789`. Slack and Teams read the same shape
 * against the same queues, so a queue may have a Slack channel, a Teams channel or both. Queues
 * without a channel of their own use the default queue's channel, so no ticket goes unseen.
 */
export class DeskChannels {
  constructor(
    private readonly byQueue: ReadonlyMap<string, string>,
    private readonly defaultQueue: string,
  ) {}

  /** Parses the setting; unknown queues and malformed pairs are all reported at once. */
  static parse(
    setting: string,
    format: DeskChannelsSetting,
    knownQueues: string[],
    defaultQueue: string,
  ): DeskChannels {
    return new DeskChannels(parseDeskChannels(setting, format, knownQueues), defaultQueue);
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

export function parseDeskChannels(
  setting: string,
  format: DeskChannelsSetting,
  knownQueues: string[],
): Map<string, string> {
  const map = new Map<string, string>();
  const problems: { source: string; field: string; message: string }[] = [];
  const pairs = setting
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const queue = at > 0 ? pair.slice(0, at).trim() : '';
    const channel = at > 0 ? pair.slice(at + 1).trim() : '';
    if (!/^[a-z0-9-]+$/.test(queue) || !format.channelId.test(channel)) {
      problems.push({ source: 'env', field: format.field, message: `"${pair}" is not ${format.expected}` });
      continue;
    }
    if (queue !== THIRD_LEVEL_KEY && !knownQueues.includes(queue)) {
      problems.push({ source: 'env', field: format.field, message: `unknown queue "${queue}"` });
      continue;
    }
    map.set(queue, channel);
  }
  if (problems.length > 0) throw new ValidationFailedError(`Invalid ${format.field}`, problems);
  return map;
}
