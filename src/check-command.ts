import { checkBotFiles } from './bot-files/load-bot-files.ts';
import { type Config, parseConfig } from './config/config.ts';
import { ValidationFailedError } from './core/errors.ts';
import { buildPhrasings } from './understanding/label-phrasings.ts';

/** What the commands over the bot's files get from the CLI. */
export interface FilesCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The environment, as the CLI entry point read it. */
  env: Record<string, string | undefined>;
}

/**
 * Runs a command over the parsed environment: `--help` prints `usage`; a bad environment or bad
 * files print every problem (as start-up does) and give exit code 1.
 */
export async function runFilesCommand(
  args: string[],
  io: FilesCommandIo,
  usage: string,
  work: (config: Config) => Promise<number>,
): Promise<number> {
  if (args.includes('--help')) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    return await work(parseConfig(io.env));
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * `support-bot check`: validates the environment, knowledge/, intents/ and config/support.yaml
 * exactly as start-up does, and lists every problem by file and field.
 */
export async function runCheck(args: string[], io: FilesCommandIo): Promise<number> {
  const usage =
    'usage: support-bot check\n  validates the environment, knowledge, intents, support config and customers config';
  return runFilesCommand(args, io, usage, async (config) => {
    // The files are checked as start-up checks them; the index is not built, it checks nothing more.
    const { sources, support, customers } = await checkBotFiles(config);
    const { entries, intents } = sources;
    const ids = new Set(entries.map((e) => e.id));
    io.stdout.write(
      `ok: ${ids.size} FAQ entries (${entries.length} files), ${intents.length} intents, ` +
        `${buildPhrasings(entries, intents).length} phrasings, ${support.queues.length} queues, ` +
        `${customers.organisations.length} organisations\n`,
    );
    return 0;
  });
}
