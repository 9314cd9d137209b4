import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../../config/config.ts';
import { SupportBotError } from '../../core/errors.ts';
import { drawColorIcon, drawOutlineIcon } from './app-icons.ts';
import { buildAppPackage } from './app-package.ts';

interface PackageTeamsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The environment, as the CLI entry point read it (MICROSOFT_APP_ID). */
  env: Record<string, string | undefined>;
}

/**
 * `support-bot package-teams` (`npm run package:teams`): writes appPackage/build/support-bot-teams.zip
 * for upload to Teams (Developer Portal or admin center), with MICROSOFT_APP_ID as app and bot id.
 * `--icons` redraws appPackage/color.png and outline.png first.
 */
export async function runPackageTeams(args: string[], io: PackageTeamsIo): Promise<number> {
  try {
    await packageTeamsApp(args, io);
    return 0;
  } catch (error) {
    const code = error instanceof SupportBotError ? `${error.code}: ` : '';
    io.stderr.write(`${code}${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function packageTeamsApp(args: string[], io: PackageTeamsIo): Promise<void> {
  const config = parseConfig(io.env);
  const dir = 'appPackage';
  if (args.includes('--icons')) {
    await writeFile(join(dir, 'color.png'), drawColorIcon());
    await writeFile(join(dir, 'outline.png'), drawOutlineIcon());
    io.stdout.write('Redrew appPackage/color.png and appPackage/outline.png\n');
  }
  if (!config.MICROSOFT_APP_ID) {
    io.stderr.write(
      'MICROSOFT_APP_ID is not set: the package keeps the placeholder id and cannot be uploaded as is.\n',
    );
  }
  const built = await buildAppPackage({ dir, appId: config.MICROSOFT_APP_ID });
  await mkdir(join(dir, 'build'), { recursive: true });
  const target = join(dir, 'build', 'support-bot-teams.zip');
  await writeFile(target, built.zip);
  io.stdout.write(`Wrote ${target} (${built.files.join(', ')}; ${built.zip.length} bytes)\n`);
}
