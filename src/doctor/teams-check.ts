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
>;

/** Teams: all three credentials or none, GUIDs where Azure gives GUIDs, a public HTTPS messaging endpoint. */
export function checkTeams(config: TeamsSettings): Finding[] {
  let auth: ReturnType<typeof resolveTeamsAuth>;
  try {
    auth = resolveTeamsAuth(config);
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return error.problems.map((p) => finding('teams', 'problem', `${p.field} missing: ${p.message}`));
  }
  if (auth.kind === 'off')
    return [finding('teams', 'skipped', 'off (no MICROSOFT_APP_ID/PASSWORD/TENANT_ID)')];
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
  return findings;
}
