import { checkBotFiles } from './assemble-bot.ts';
import { parseConfig } from './config/config.ts';
import { ValidationFailedError } from './core/errors.ts';
import { buildPhrasings } from './understanding/understanding.ts';

interface CheckIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The environment, as the CLI entry point read it. */
  env: Record<string, string | undefined>;
}

/**
 * `support-bot check`: validates the environment, knowledge/, intents/ and config/support.yaml
 * exactly as start-up does, and lists every problem by file and field.
 */
export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout.write(
      'usage: support-bot check\n  validates the environment, knowledge, intents and support config\n',
    );
    return 0;
  }
  try {
    const config = parseConfig(io.env);
    // The files are checked as start-up checks them; the index is not built, it checks nothing more.
    const { sources, support } = await checkBotFiles(config);
    const { entries, intents } = sources;
    const ids = new Set(entries.map((e) => e.id));
    io.stdout.write(
      `ok: ${ids.size} FAQ entries (${entries.length} files), ${intents.length} intents, ` +
        `${buildPhrasings(entries, intents).length} phrasings, ${support.queues.length} queues\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
