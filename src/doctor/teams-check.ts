import { resolveTeamsAuth } from '../channels/teams/teams-auth.ts';
import type { Config } from '../config/config.ts';
import { ValidationFailedError } from '../core/errors.ts';
import { type Finding, finding } from './finding.ts';
import { whyNotPublicHttps } from './public-url.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TeamsSettings = Pick<
  Config,
  | 'MICROSOFT_APP_ID'
  | 'MICROSOFT_APP_PASSWORD'
  | 'MICROSOFT_APP_TENANT_ID'
  | 'TEAMS_ALLOW_UNAUTHENTICATED'
  | 'PUBLIC_URL'
> &
  Partial<Pick<Config, 'TEAMS_AGENT_CHANNELS'>>;

/** How many queue=channel pairs TEAMS_AGENT_CHANNELS names (start-up checks them against the queues). */
function agentChannelCount(config: TeamsSettings): number {
  return (config.TEAMS_AGENT_CHANNELS ?? '').split(',').filter((pair) => pair.trim() !== '').length;
}

/** Teams: all three credentials or none, GUIDs where Azure gives GUIDs, a public HTTPS messaging endpoint. */
export function checkTeams(config: TeamsSettings): Finding[] {
  let auth: ReturnType<typeof resolveTeamsAuth>;
  try {
    auth = resolveTeamsAuth(config);
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return error.problems.map((p) => finding('teams', 'problem', `${p.field} missing: ${p.message}`));
  }
  if (auth.kind === 'off') {
    const off = finding('teams', 'skipped', 'off (no MICROSOFT_APP_ID/PASSWORD/TENANT_ID)');
    if (agentChannelCount(config) === 0) return [off];
    return [
      off,
      finding(
        'teams',
        'warning',
        'TEAMS_AGENT_CHANNELS is set, but with Teams off no ticket card reaches Teams',
      ),
    ];
  }
  if (auth.kind === 'local') {
    return [
      finding(
        'teams',
        'warning',
        'TEAMS_ALLOW_UNAUTHENTICATED=true: local tools only (loopback); never in production',
      ),
    ];
  }
  const findings: Finding[] = [];
  for (const [name, value] of [
    ['MICROSOFT_APP_ID', auth.appId],
    ['MICROSOFT_APP_TENANT_ID', auth.tenantId],
  ] as const) {
    if (!GUID.test(value)) findings.push(finding('teams', 'problem', `${name} is not a GUID`));
  }
  if (findings.length === 0)
    findings.push(finding('teams', 'ok', 'credentials set (app id, secret, tenant)'));
  if (!config.PUBLIC_URL) {
    findings.push(
      finding(
        'teams',
        'problem',
        'set PUBLIC_URL: the Azure Bot messaging endpoint is <PUBLIC_URL>/api/messages',
      ),
    );
  } else {
    const endpoint = new URL('/api/messages', config.PUBLIC_URL).href;
    const why = whyNotPublicHttps(config.PUBLIC_URL);
    findings.push(
      why
        ? finding('teams', 'problem', `messaging endpoint ${endpoint} is not usable: ${why}`)
        : finding('teams', 'ok', `messaging endpoint ${endpoint}`),
    );
  }
  const channels = agentChannelCount(config);
  if (channels > 0) {
    findings.push(
      finding(
        'teams',
        'ok',
        `${channels} agent channel(s): the app must be installed in their team, whose owner grants ChannelMessage.Read.Group`,
      ),
    );
  }
  return findings;
}
