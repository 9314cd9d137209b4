import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../config/config.ts';
import { ConfigError, SupportBotError } from '../../core/errors.ts';
import { drawColorIcon, drawOutlineIcon } from './app-icons.ts';
import { buildAppPackage, isGuid } from './app-package.ts';

interface PackageTeamsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The environment, as the CLI entry point read it (MICROSOFT_APP_ID). */
  env: Record<string, string | undefined>;
}

const HELP = `npm run package:teams -- --app-id <guid> [--icons]
support-bot package-teams --app-id <guid> [--icons]

Writes appPackage/build/support-bot-teams.zip for upload to Teams.

Options:
  --app-id <guid>   the bot's Microsoft app (client) id; goes into the package as app id and
                    bot id. Default: MICROSOFT_APP_ID. Required: Teams refuses a package without it.
  --icons           redraw appPackage/color.png and appPackage/outline.png first
  -h, --help        this text`;

/**
 * `support-bot package-teams` (`npm run package:teams`): writes appPackage/build/support-bot-teams.zip
 * for upload to Teams (Developer Portal or admin center), with the bot's app id as app and bot id.
 * Without a valid id it writes nothing and fails, since such a package cannot be uploaded.
 */
export async function runPackageTeams(args: string[], io: PackageTeamsIo): Promise<number> {
  let options: ReturnType<typeof parsePackageArgs>;
  try {
    options = parsePackageArgs(args);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}\n`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  try {
    await packageTeamsApp(options, io);
    return 0;
  } catch (error) {
    const code = error instanceof SupportBotError ? `${error.code}: ` : '';
    io.stderr.write(`${code}${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function parsePackageArgs(args: string[]): { help: boolean; icons: boolean; appId?: string | undefined } {
  const { values } = parseArgs({
    args,
    options: {
      'app-id': { type: 'string' },
      icons: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return { help: values.help, icons: values.icons, appId: values['app-id'] };
}

/** The app id from --app-id, else MICROSOFT_APP_ID; a GUID, or an error that says where it came from. */
function chooseAppId(fromArgument: string | undefined, env: Record<string, string | undefined>): string {
  const fromEnv = parseConfig(env).MICROSOFT_APP_ID;
  const appId = fromArgument ?? fromEnv;
  if (appId === undefined) {
    throw new ConfigError(
      'missing_app_id',
      'no Teams app id: give the bot\'s Microsoft app id (a GUID) with "npm run package:teams -- --app-id <guid>" ' +
        'or in MICROSOFT_APP_ID. Teams refuses a package without it; nothing was written.',
    );
  }
  if (!isGuid(appId)) {
    const source = fromArgument === undefined ? 'MICROSOFT_APP_ID' : '--app-id';
    throw new ConfigError(
      'invalid_app_id',
      `${source} must be a GUID like 3f2504e0-4f89-41d3-9a0c-0305e82c3301, not "${appId}"; nothing was written.`,
    );
  }
  return appId;
}

async function packageTeamsApp(options: { icons: boolean; appId?: string | undefined }, io: PackageTeamsIo) {
  // Checked first: a failed run leaves the icons and any earlier package as they were.
  const appId = chooseAppId(options.appId, io.env);
  const dir = 'appPackage';
  if (options.icons) {
    await writeFile(join(dir, 'color.png'), drawColorIcon());
    await writeFile(join(dir, 'outline.png'), drawOutlineIcon());
    io.stdout.write('Redrew appPackage/color.png and appPackage/outline.png\n');
  }
  const built = await buildAppPackage({ dir, appId });
  await mkdir(join(dir, 'build'), { recursive: true });
  const target = join(dir, 'build', 'support-bot-teams.zip');
  await writeFile(target, built.zip);
  io.stdout.write(
    `Wrote ${target} (${built.files.join(', ')}; ${built.zip.length} bytes, app id ${appId})\n`,
  );
}
