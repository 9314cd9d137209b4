import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../../config/config.ts';
import { SupportBotError } from '../../core/errors.ts';
import { drawColorIcon, drawOutlineIcon } from './app-icons.ts';
import { buildAppPackage } from './app-package.ts';

/**
 * `npm run package:teams`: writes appPackage/build/support-bot-teams.zip for upload to Teams
 * (Developer Portal or admin center), with MICROSOFT_APP_ID as app and bot id.
 * `npm run package:teams -- --icons` redraws appPackage/color.png and outline.png first.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const dir = 'appPackage';
  if (process.argv.includes('--icons')) {
    await writeFile(join(dir, 'color.png'), drawColorIcon());
    await writeFile(join(dir, 'outline.png'), drawOutlineIcon());
    process.stdout.write('Redrew appPackage/color.png and appPackage/outline.png\n');
  }
  if (!config.MICROSOFT_APP_ID) {
    process.stderr.write(
      'MICROSOFT_APP_ID is not set: the package keeps the placeholder id and cannot be uploaded as is.\n',
    );
  }
  const built = await buildAppPackage({ dir, appId: config.MICROSOFT_APP_ID });
  await mkdir(join(dir, 'build'), { recursive: true });
  const target = join(dir, 'build', 'support-bot-teams.zip');
  await writeFile(target, built.zip);
  process.stdout.write(`Wrote ${target} (${built.files.join(', ')}; ${built.zip.length} bytes)\n`);
}

try {
  await main();
} catch (error) {
  const code = error instanceof SupportBotError ? `${error.code}: ` : '';
  process.stderr.write(`${code}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
