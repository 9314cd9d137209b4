import { ValidationFailedError } from '../../core/errors.ts';

/**
 * How the Teams channel authenticates, decided once from config:
 * - `authenticated`: single-tenant app credentials; botbuilder validates every request's token
 *   and signs every outgoing call.
 * - `local`: no credentials, TEAMS_ALLOW_UNAUTHENTICATED=true, for local tools (Agents
 *   Playground, Bot Framework Emulator) and tests. Only loopback serviceUrls are accepted, so an
 *   unauthenticated request can never make the bot call out to the internet.
 * - `off`: no credentials and no local flag; every request is answered 401.
 */
export type TeamsAuth =
  | { kind: 'authenticated'; appId: string; appPassword: string; tenantId: string }
  | { kind: 'local' }
  | { kind: 'off' };

export interface TeamsAuthSettings {
  MICROSOFT_APP_ID?: string | undefined;
  MICROSOFT_APP_PASSWORD?: string | undefined;
  MICROSOFT_APP_TENANT_ID?: string | undefined;
  TEAMS_ALLOW_UNAUTHENTICATED?: boolean | undefined;
}

/** Throws ValidationFailedError (listing what is missing) when only some of the credentials are set. */
export function resolveTeamsAuth(settings: TeamsAuthSettings): TeamsAuth {
  const credentials = {
    MICROSOFT_APP_ID: settings.MICROSOFT_APP_ID?.trim() ?? '',
    MICROSOFT_APP_PASSWORD: settings.MICROSOFT_APP_PASSWORD?.trim() ?? '',
    MICROSOFT_APP_TENANT_ID: settings.MICROSOFT_APP_TENANT_ID?.trim() ?? '',
  };
  const missing = Object.entries(credentials)
    .filter(([, value]) => value === '')
    .map(([name]) => name);
  if (missing.length === 0) {
    return {
      kind: 'authenticated',
      appId: credentials.MICROSOFT_APP_ID,
      appPassword: credentials.MICROSOFT_APP_PASSWORD,
      tenantId: credentials.MICROSOFT_APP_TENANT_ID,
    };
  }
  if (missing.length < 3) {
    throw new ValidationFailedError(
      'Invalid configuration',
      missing.map((field) => ({
        source: 'env',
        field,
        message: 'Teams needs MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID together',
      })),
    );
  }
  return settings.TEAMS_ALLOW_UNAUTHENTICATED ? { kind: 'local' } : { kind: 'off' };
}

/** http(s) on 127.0.0.0/8, ::1 or localhost: where local Teams tools run their connector. */
export function isLoopbackUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
