import type { WebAccess, WebAccessStore } from '../../core/web-ports.ts';
import { isAway, type SpoolingAccess } from './spooled-ports.ts';

/** Web credentials remembered per process for an outage: a few MB at most. */
const SEEN_WEB_ACCESS = 20_000;

/** Keeps the most recently used credentials, a bounded number, oldest dropped first. */
function rememberSeen(seen: Map<string, WebAccess>, id: string, access: WebAccess | undefined): void {
  seen.delete(id);
  if (!access) return;
  seen.set(id, structuredClone(access));
  if (seen.size > SEEN_WEB_ACCESS) {
    const oldest = seen.keys().next().value;
    if (oldest !== undefined) seen.delete(oldest);
  }
}

/**
 * Web conversations while Redis may be away: issued ones are spooled (their customers go on at
 * once), and credentials read lately are kept so their customers go on too.
 */
export function failoverWebAccess(
  via: SpoolingAccess,
  local: Map<string, WebAccess | null>,
  seen: Map<string, WebAccess>,
): WebAccessStore {
  const { remote } = via;
  return {
    issue: async (id, access) => {
      if (local.get(id)) return false;
      if (via.ready() && via.spoolSize() === 0) {
        try {
          const issued = await remote.webAccess.issue(id, access);
          if (issued) rememberSeen(seen, id, access);
          return issued;
        } catch (error) {
          if (!isAway(error)) throw error;
        }
      }
      await via.write({ port: 'webAccess', method: 'issue', args: [id, access] });
      return true;
    },
    get: (id) =>
      via.read(
        () => structuredClone(local.get(id) ?? seen.get(id)),
        local.has(id),
        async () => {
          const access = await remote.webAccess.get(id);
          rememberSeen(seen, id, access);
          return access;
        },
      ),
    forget: (id) => via.write({ port: 'webAccess', method: 'forget', args: [id] }),
  };
}
