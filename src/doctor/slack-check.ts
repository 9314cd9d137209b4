import { readFile } from 'node:fs/promises';
import type { Config } from '../config/config.ts';
import { type Finding, finding, unreachableReason } from './finding.ts';
import { whyNotPublicHttps } from './public-url.ts';

type SlackSettings = Pick<
  Config,
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_APP_TOKEN'
  | 'SLACK_SOCKET_MODE'
  | 'SLACK_API_URL'
  | 'PUBLIC_URL'
>;

/** The bot scopes manifest.json asks for: what the installed app must have been granted. */
export async function manifestBotScopes(manifestPath: URL): Promise<string[]> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    oauth_config?: { scopes?: { bot?: string[] } };
  };
  return manifest.oauth_config?.scopes?.bot ?? [];
}

const MANIFEST = new URL('../../manifest.json', import.meta.url);

/**
 * Slack: both secrets set, the token valid (`auth.test`) and granted every scope the manifest asks
 * for (Slack lists the granted ones in the `x-oauth-scopes` header), and a way for Slack to reach
 * the bot (Socket Mode with an app token, or a public HTTPS URL for `/slack/events`).
 */
export async function checkSlack(config: SlackSettings, timeoutMs: number): Promise<Finding[]> {
  const token = config.SLACK_BOT_TOKEN;
  const secret = config.SLACK_SIGNING_SECRET;
  if (!token && !secret)
    return [finding('slack', 'skipped', 'off (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET unset)')];
  const findings: Finding[] = [];
  if (!token)
    findings.push(finding('slack', 'problem', 'SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not'));
  if (!secret)
    findings.push(finding('slack', 'problem', 'SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not'));
  else findings.push(finding('slack', 'ok', 'signing secret set'));
  if (config.SLACK_SOCKET_MODE) {
    findings.push(
      config.SLACK_APP_TOKEN?.startsWith('xapp-')
        ? finding('slack', 'ok', 'Socket Mode with an app-level token')
        : finding(
            'slack',
            'problem',
            'SLACK_SOCKET_MODE=true needs SLACK_APP_TOKEN (xapp-…, scope connections:write)',
          ),
    );
  } else if (!config.PUBLIC_URL) {
    findings.push(
      finding('slack', 'problem', 'HTTP mode needs PUBLIC_URL: Slack posts to <PUBLIC_URL>/slack/events'),
    );
  } else {
    const why = whyNotPublicHttps(config.PUBLIC_URL);
    findings.push(
      why
        ? finding('slack', 'problem', `Slack cannot reach ${config.PUBLIC_URL}/slack/events: ${why}`)
        : finding('slack', 'ok', `request URL ${new URL('/slack/events', config.PUBLIC_URL).href}`),
    );
  }
  if (token) findings.push(...(await checkSlackToken(token, config.SLACK_API_URL, timeoutMs)));
  return findings;
}

async function checkSlackToken(
  token: string,
  apiUrl: string | undefined,
  timeoutMs: number,
): Promise<Finding[]> {
  if (!token.startsWith('xoxb-')) {
    return [finding('slack', 'problem', 'SLACK_BOT_TOKEN is not a bot token (xoxb-…)')];
  }
  const base = apiUrl ?? 'https://slack.com/api/';
  const url = new URL('auth.test', base.endsWith('/') ? base : `${base}/`);
  const call = () =>
    fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  let response: Response;
  try {
    // A kept-alive connection the server closed a moment ago resets once; a second try is fresh.
    response = await call().catch((error: unknown) => {
      if (unreachableReason(error, timeoutMs).startsWith('ECONNRESET')) return call();
      throw error;
    });
  } catch (error) {
    return [finding('slack', 'problem', `Slack API not reachable: ${unreachableReason(error, timeoutMs)}`)];
  }
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string; team?: string };
  if (!response.ok || body.ok !== true) {
    return [
      finding('slack', 'problem', `auth.test refused the token: ${body.error ?? `HTTP ${response.status}`}`),
    ];
  }
  const findings = [finding('slack', 'ok', `token valid (auth.test: workspace ${body.team ?? 'unknown'})`)];
  const granted = response.headers.get('x-oauth-scopes');
  if (granted === null) {
    findings.push(
      finding('slack', 'warning', 'Slack did not list the granted scopes; compare them with manifest.json'),
    );
    return findings;
  }
  const have = new Set(granted.split(',').map((s) => s.trim()));
  const missing = (await manifestBotScopes(MANIFEST)).filter((scope) => !have.has(scope));
  findings.push(
    missing.length === 0
      ? finding('slack', 'ok', 'every scope of manifest.json is granted')
      : finding(
          'slack',
          'problem',
          `scopes missing from the installed app: ${missing.join(', ')} (reinstall the app from manifest.json)`,
        ),
  );
  return findings;
}
