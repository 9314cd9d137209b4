import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../../src/config/config.ts';
import { freePort } from '../../support/redis-server.ts';

/**
 * The image cannot be built here (no base images can be pulled), so this checks what can be
 * checked: the Dockerfile's install, start command, port, health path and volume agree with
 * package.json and the server, and its start and health-check commands really work.
 */
const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  const out: Instruction[] = [];
  let stage = -1;
  for (const line of joined.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [keyword = '', ...rest] = trimmed.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') stage += 1;
    out.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), stage });
  }
  return out;
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const lastStage = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === lastStage);
const one = (keyword: string, where = final) => {
  const found = where.filter((i) => i.keyword === keyword);
  expect(found, keyword).toHaveLength(1);
  return found[0]?.args ?? '';
};
const env = Object.fromEntries(
  final
    .filter((i) => i.keyword === 'ENV')
    .flatMap((i) => i.args.split(/\s+/))
    .map((pair) => pair.split('=') as [string, string]),
);
/** The exec form of CMD or HEALTHCHECK ... CMD: a JSON array. */
const execForm = (args: string) => JSON.parse(args.slice(args.indexOf('['))) as string[];

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

describe('Dockerfile', () => {
  it('is multi-stage: dependencies from the lock file without dev tools, and no build tools in the final image', () => {
    expect(lastStage).toBeGreaterThanOrEqual(1);
    const installs = dockerfile.filter((i) => i.keyword === 'RUN' && i.args.includes('npm'));
    expect(installs.map((i) => i.stage)).toEqual([0]);
    expect(installs[0]?.args).toMatch(/npm ci --omit=dev/);
    const finalRuns = final.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    for (const run of finalRuns) expect(run).not.toMatch(/apt-get|apk|npm|python|g\+\+|make/);
    expect(
      final.filter((i) => i.keyword === 'COPY' && i.args.includes('--from=')).map((i) => i.args),
    ).toEqual([
      '--from=deps /app/node_modules ./node_modules',
      // The bundle and the trained index are made in the first stage, by npm's prepare step.
      '--from=deps /app/dist ./dist',
      '--from=deps --chown=node:node /data /data',
    ]);
  });

  it('runs as a non-root user, with DATA_DIR as a volume and the port the bot listens on', () => {
    expect(one('USER')).toBe('node');
    expect(env.DATA_DIR).toBeDefined();
    expect(execForm(one('VOLUME'))).toEqual([env.DATA_DIR]);
    expect(one('EXPOSE')).toBe(env.PORT);
    expect(Number(env.PORT)).toBe(parseConfig({}).PORT);
    expect(parseConfig(env).HOST).toBe('0.0.0.0');
  });

  it('copies every file the bot reads at run time, none that .dockerignore leaves out', () => {
    const copied = final
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const path of copied) {
      expect(existsSync(new URL(path, root)), path).toBe(true);
      expect(ignored, path).not.toContain(path);
    }
    // The knowledge, intents and support config the defaults point at; bin for `npx support-bot`.
    const defaults = parseConfig({});
    for (const needed of ['src', 'bin', 'package.json', defaults.KNOWLEDGE_DIR, defaults.INTENTS_DIR]) {
      expect(copied, needed).toContain(needed.replace(/^\.\//, ''));
    }
    expect(copied).toContain(defaults.SUPPORT_CONFIG.replace(/^\.\//, '').split('/')[0]);
  });

  it("starts the bot the way package.json's start script does, and its health check passes against it", async () => {
    const command = execForm(one('CMD'));
    const start = JSON.parse(read('package.json')).scripts.start as string;
    expect(command).toEqual(start.split(' '));

    const port = String(await freePort());
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-image-'));
    const [bin = '', ...args] = command;
    const child = spawn(bin === 'node' ? process.execPath : bin, args, {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        HOST: '127.0.0.1',
        PORT: port,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    running.push(child);

    const check = execForm(one('HEALTHCHECK'));
    expect(check.join(' ')).toContain('/healthz');
    const runCheck = () =>
      new Promise<number | null>((resolve) => {
        const [checkBin = '', ...checkArgs] = check;
        const probe = spawn(checkBin === 'node' ? process.execPath : checkBin, checkArgs, {
          env: { PATH: process.env.PATH ?? '', PORT: port },
          stdio: 'ignore',
        });
        probe.on('exit', resolve);
      });
    let status = await runCheck();
    const until = Date.now() + 25_000;
    while (status !== 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      status = await runCheck();
    }
    expect(status).toBe(0);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    // With the bot gone the same check fails: it really asks the server.
    expect(await runCheck()).not.toBe(0);
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml')) as {
    services: Record<
      string,
      {
        command?: string[];
        environment?: Record<string, string>;
        deploy?: { replicas?: number };
        volumes?: string[];
      }
    >;
  };

  it('runs two bot replicas on one Redis with AOF and noeviction, behind a proxy', () => {
    const { bot, redis, proxy } = compose.services;
    expect(bot?.deploy?.replicas).toBe(2);
    expect(bot?.environment?.REDIS_URL).toBe('redis://redis:6379');
    const redisArgs = redis?.command?.join(' ') ?? '';
    expect(redisArgs).toMatch(/--appendonly yes/);
    expect(redisArgs).toMatch(/--maxmemory-policy noeviction/);
    expect(redis?.volumes?.[0]).toMatch(/:\/data$/);
    const conf = proxy?.volumes?.[0]?.split(':')[0] ?? '';
    const nginx = read(conf);
    expect(nginx).toContain(`server bot:${bot?.environment?.PORT} resolve;`);
    // Long polls of the web chat (25 s) must outlive the proxy's read timeout.
    const readTimeout = Number(/proxy_read_timeout (\d+)s/.exec(nginx)?.[1]);
    expect(readTimeout).toBeGreaterThan(25);
  });
});
