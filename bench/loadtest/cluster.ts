import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnBot } from '../../test/support/bot-process.ts';
import { freePort, startRedisServer, stopRedisServer } from '../../test/support/redis-server.ts';

/** A Redis as production runs it: AOF on (everysec), no eviction; restartable on the same files. */
export class ProductionRedis {
  private server: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'sb-load-redis-'));
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.server = await startRedisServer(this.port, [
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--dir',
      this.dir,
    ]);
  }

  /** A restart: SIGTERM (Redis writes its AOF and exits), then the same files again. */
  async restart(): Promise<void> {
    if (this.server) await stopRedisServer(this.server, 'SIGTERM');
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.server) await stopRedisServer(this.server, 'SIGTERM');
  }
}

/** One bot process as `npm start` runs it (the bundled CLI), with its own port and spool. */
export class BotProcess {
  private child: ChildProcess | undefined;
  private readonly outputs: (() => string)[] = [];
  port = 0;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'sb-load-bot-'));

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    const profile = [
      ...(process.env.LOADTEST_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOADTEST_CPU_PROF}`]
        : []),
      // Node flags to try on the bots (e.g. a garbage collector setting), split at spaces.
      ...(process.env.LOADTEST_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    ];
    const spawned = await spawnBot({
      name: this.name,
      nodeFlags: profile,
      env: {
        PORT: String(this.port),
        DATA_DIR: this.dataDir,
        LOG_LEVEL: 'error',
        // Every simulated customer comes from the loopback address: one address, thousands of chats.
        WEB_NEW_CONVERSATIONS_PER_MINUTE: '1000000',
        // A simulated customer writes every 1–3 s for minutes, more than a person does: the
        // per-conversation limit (30 a minute by default) is not what this run measures.
        WEB_MESSAGES_PER_MINUTE: '1000000',
        ...this.env,
      },
    });
    this.child = spawned.child;
    this.outputs.push(spawned.output);
  }

  /** What the bot logged at level error, over every start (a run's kill -9 starts it again). */
  errorLines(): string[] {
    return this.outputs.flatMap((output) =>
      output()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line)),
    );
  }

  /** CPU seconds (user + system) this process has used so far; Linux only, else undefined. */
  cpuSeconds(): number | undefined {
    const pid = this.child?.pid;
    if (pid === undefined || !this.alive) return undefined;
    try {
      // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }

  /** kill -9: no drain, no goodbye. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
}
