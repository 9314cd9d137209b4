import { errorMessage } from '../core/logger.ts';

interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * A command's arguments, or its exit code: a bad option prints the problem and the usage (2),
 * `--help` prints the usage (0). `parse` is the command's own `parseArgs` call.
 */
export function argsOrExit<Parsed extends { values: { help?: boolean | undefined } }>(
  parse: () => Parsed,
  usage: string,
  io: CommandOutput,
): Parsed | number {
  let parsed: Parsed;
  try {
    parsed = parse();
  } catch (error) {
    io.stderr.write(`${errorMessage(error)}\n${usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  return parsed;
}
