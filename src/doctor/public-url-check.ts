import type { Config } from '../config/config.ts';
import { type Finding, finding, unreachableReason } from './finding.ts';

/** The public URL answers `/healthz` from here: the load balancer / reverse proxy reaches a bot. */
export async function checkPublicUrl(
  config: Pick<Config, 'PUBLIC_URL'>,
  timeoutMs: number,
): Promise<Finding> {
  if (!config.PUBLIC_URL) return finding('public URL', 'skipped', 'PUBLIC_URL unset (local use only)');
  const health = new URL('/healthz', config.PUBLIC_URL).href;
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const body = (await response.json().catch(() => undefined)) as { status?: string } | undefined;
    if (response.status === 200 && body?.status === 'ok')
      return finding('public URL', 'ok', `${health} answers`);
    return finding(
      'public URL',
      'problem',
      `${health} answered HTTP ${response.status}${body ? '' : ' (not the bot)'}: check the proxy in front`,
    );
  } catch (error) {
    return finding(
      'public URL',
      'problem',
      `${health} not reachable: ${unreachableReason(error, timeoutMs)}`,
    );
  }
}
