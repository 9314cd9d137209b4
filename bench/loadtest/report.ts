/** What the load test reports beside its counts: percentiles, Redis's calls, where lanes wait. */
import { Redis } from 'ioredis';
import type { Sample } from './customers.ts';

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/** The outbox lanes still holding items after the drain, with how many each (at most ten). */
export async function lanesWithItems(url: string, prefix: string): Promise<Record<string, number>> {
  const client = new Redis(url);
  try {
    const lanes = await client.zrange(`${prefix}{outbox}:ready`, '0', '-1');
    const counts: Record<string, number> = {};
    for (const lane of lanes.slice(0, 10)) counts[lane] = await client.llen(`${prefix}{outbox}:lane:${lane}`);
    return counts;
  } finally {
    client.disconnect();
  }
}

export function countByMessage(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    let key = line.slice(0, 120);
    try {
      const entry = JSON.parse(line) as { msg?: string; code?: string };
      key = `${entry.msg ?? '?'}${entry.code ? ` (${entry.code})` : ''}`;
    } catch {}
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Lanes (waiting or held) whose name has one of these channel ids: items, and due in how many s. */
export async function lanesNaming(
  url: string,
  prefix: string,
  channels: string[],
): Promise<Record<string, string>> {
  if (channels.length === 0) return {};
  const client = new Redis(url);
  try {
    const out: Record<string, string> = {};
    const now = Date.now();
    for (const set of ['ready', 'leased']) {
      const entries = await client.zrange(`${prefix}{outbox}:${set}`, '0', '-1', 'WITHSCORES');
      for (let i = 0; i < entries.length; i += 2) {
        const lane = entries[i] ?? '';
        if (!channels.some((c) => lane.includes(c))) continue;
        const items = await client.llen(`${prefix}{outbox}:lane:${lane}`);
        out[`${set} ${lane}`] =
          `${items} item(s), ${set === 'ready' ? 'due' : 'lease ends'} in ${Math.round((Number(entries[i + 1]) - now) / 1_000)} s`;
      }
    }
    return out;
  } finally {
    client.disconnect();
  }
}

export interface RedisCalls {
  total: number;
  byCommand: Map<string, number>;
  /** CPU Redis has used since it started (INFO cpu, system and user). */
  cpuSeconds: number;
}

/** Commands Redis has executed since it started (INFO commandstats), in all and per command. */
export async function redisCalls(url: string): Promise<RedisCalls> {
  const client = new Redis(url);
  try {
    const info = await client.info('commandstats');
    const byCommand = new Map<string, number>();
    for (const m of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g))
      byCommand.set(m[1] as string, Number(m[2]));
    const cpu = await client.info('cpu');
    const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(cpu)?.[1] ?? 0);
    return {
      total: [...byCommand.values()].reduce((sum, n) => sum + n, 0),
      byCommand,
      cpuSeconds: seconds('used_cpu_sys') + seconds('used_cpu_user'),
    };
  } finally {
    client.disconnect();
  }
}

/** The commands sent per answered message between two counts, most frequent first. */
export function commandsPerMessage(
  before: RedisCalls,
  after: RedisCalls,
  messages: number,
): { total: number; top: Record<string, number>; cpuMs: number } {
  const per = (n: number) => Number((n / Math.max(1, messages)).toFixed(1));
  const top = [...after.byCommand]
    .map(([name, n]) => [name, n - (before.byCommand.get(name) ?? 0)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  return {
    total: per(after.total - before.total),
    top: Object.fromEntries(top.map(([name, n]) => [name, per(n)])),
    cpuMs: Number((((after.cpuSeconds - before.cpuSeconds) * 1_000) / Math.max(1, messages)).toFixed(2)),
  };
}

/** Answers outside the fault windows slower than 500 ms, counted per channel by when they were sent. */
export function slowBySlice(
  samples: readonly Sample[],
  started: number,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const s of samples) {
    if (s.ms <= 500) continue;
    const from = Math.floor((s.at - started) / 5_000) * 5;
    const name = `${from}-${from + 5} s`;
    const slice = out[name] ?? {};
    out[name] = slice;
    slice[s.channel] = (slice[s.channel] ?? 0) + 1;
    slice.maxMs = Math.max(slice.maxMs ?? 0, Math.round(s.ms));
  }
  return out;
}
