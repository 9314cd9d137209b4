import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Without ADMIN_TOKEN the local console would be unusable after `npm start`; so the embedded
 * default creates a random token once and keeps it in the data directory (mode 0600), where the
 * person who started the bot can read it. Production sets ADMIN_TOKEN explicitly.
 */
export async function readOrCreateLocalAdminToken(dataDir: string): Promise<string> {
  const path = join(dataDir, 'admin-token');
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing.length >= 16) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const token = randomBytes(18).toString('base64url');
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  return token;
}
