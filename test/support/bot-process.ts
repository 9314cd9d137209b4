import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpawnBotOptions {
  /** Added to PATH and HOME; nothing else of this process's environment is passed on. */
  env: Record<string, string>;
  /** `bundle`: what `npm start` runs (bin/support-bot.js start); `source`: src/main.ts through tsx. */
  entry?: 'bundle' | 'source' | undefined;
  /** Flags for node itself, e.g. `--cpu-prof`. */
  nodeFlags?: string[] | undefined;
  /** Collect stderr with stdout (readable through `output()`), or pass it to this process's. */
  stderr?: 'collect' | 'inherit' | undefined;
  timeoutMs?: number | undefined;
  /** Named in the error when it does not start. */
  name?: string | undefined;
}

export interface SpawnedBot {
  child: ChildProcess;
  /** The web chat's address as the bot prints it, without the trailing slash. */
  url: string;
  /** Everything it printed so far (stdout, and stderr when collected). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/**
 * Starts a bot process and resolves once it prints where its console is (the last line of
 * `npm start`'s greeting); rejects with its output when it exits or takes longer than the
 * timeout. The tests, the flood benchmark and the load test all start the bot this way.
 */
export async function spawnBot(options: SpawnBotOptions): Promise<SpawnedBot> {
  const entry =
    options.entry === 'source' ? ['--import', 'tsx', 'src/main.ts'] : ['bin/support-bot.js', 'start'];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
    stdio: ['ignore', 'pipe', options.stderr === 'collect' ? 'pipe' : 'inherit'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = await new Promise<string>((resolve, reject) => {
    const started = Date.now();
    const check = setInterval(() => {
      const ready = output.includes('Admin console:');
      const failed = child.exitCode !== null || child.signalCode !== null || Date.now() - started > timeoutMs;
      if (ready || failed) clearInterval(check);
      if (ready) resolve(/Web chat:\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1] ?? '');
      else if (failed) reject(new Error(`${options.name ?? 'the bot'} did not start:\n${output}`));
    }, 25);
  }).catch((error: unknown) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  });
  return { child, url: url.replace('://localhost', '://127.0.0.1'), output: () => output, exited };
}

export interface BotProcess {
  /** The web chat's address as `npm start` prints it, without the trailing slash. */
  url: string;
  dataDir: string;
  /** The console token `npm start` wrote to DATA_DIR/admin-token. */
  adminToken(): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The bot as a person starts it after following the README's quick start: `npm start`'s entry
 * point in its own process, the default knowledge and configuration, a fresh data directory, no
 * ADMIN_TOKEN. Resolves once it prints where the web chat is.
 */
export async function startBotProcess(
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<BotProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-process-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  const bot = await spawnBot({
    env: { LOG_LEVEL: 'warn', DATA_DIR: dataDir, PORT: '0', ...env },
    entry: 'source',
    stderr: 'collect',
    timeoutMs,
  }).catch(async (error: unknown) => {
    await removeDataDir();
    throw error;
  });
  const { child } = bot;
  return {
    url: bot.url.replace('://127.0.0.1', '://localhost'),
    dataDir,
    adminToken: async () => (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim(),
    output: bot.output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await bot.exited;
        clearTimeout(killer);
      }
      await removeDataDir();
    },
  };
}
