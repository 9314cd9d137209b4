import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const url = await new Promise<string>((resolve, reject) => {
    const started = Date.now();
    const check = setInterval(() => {
      const found = /Web chat:\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1];
      const failed = child.exitCode !== null || Date.now() - started > timeoutMs;
      if (found || failed) clearInterval(check);
      if (found) resolve(found);
      else if (failed) reject(new Error(`the bot did not start:\n${output}`));
    }, 50);
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  return {
    url,
    dataDir,
    adminToken: async () => (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim(),
    output: () => output,
    stop,
  };
}
