import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

/**
 * Start-up as a user meets it, with the default knowledge, each run a fresh process:
 * - `npm start` until the web chat answers a question (POST /api/conversations/{id}/messages), in
 *   a new DATA_DIR (first start) and again in the same one (next start);
 * - `npx support-bot ask "…"` and `npx support-bot check` until they exit.
 * The machine is shared, so every figure is the best and the median of several runs.
 *
 * `npx tsx bench/startup-bench.ts [--runs N] [--dir CHECKOUT] [--json]` (`--dir`: another checkout
 * with its node_modules, e.g. an older commit, to compare); `npm run bench -- startup` alone.
 */
const QUESTION = 'Wie setze ich mein Passwort zurück?';
const DEFAULT_RUNS = 5;
const READY_TIMEOUT_MS = 120_000;

interface Timing {
  best: number;
  median: number;
  runs: number[];
}

function summarize(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  return { best: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, runs: ms };
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Milliseconds from spawning `npm start` until the web chat answers QUESTION. */
async function timeStart(dir: string, dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
    // Its own process group, so npm, the shell and node stop together.
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    for (;;) {
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error('npm start: not ready in time');
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      const url = /Web chat:\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1];
      if (url && (await answers(url))) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await waitForExit(child);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const opened = await fetch(`${url}/api/conversations`, { method: 'POST' });
    if (opened.status !== 201) return false;
    const chat = (await opened.json()) as { id: string; token: string };
    const response = await fetch(`${url}/api/conversations/${chat.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${chat.token}` },
      body: JSON.stringify({ text: QUESTION }),
    });
    const body = (await response.json()) as { replies?: { type?: string }[] };
    return response.ok && body.replies?.[0]?.type === 'answer';
  } catch {
    return false;
  }
}

/** Milliseconds of one `npx support-bot …` until it exits (it must exit with `expectedCode`). */
async function timeCommand(
  dir: string,
  dataDir: string,
  args: string[],
  expectedCode: number,
): Promise<number> {
  const started = performance.now();
  const child = spawn('npx', ['support-bot', ...args], {
    cwd: dir,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  const code = await waitForExit(child);
  if (code !== expectedCode) throw new Error(`npx support-bot ${args.join(' ')} exited with ${code}`);
  return performance.now() - started;
}

export interface StartupFigures {
  firstStart: Timing;
  nextStart: Timing;
  ask: Timing;
  check: Timing;
}

export async function measureStartup(dir: string, runs: number): Promise<StartupFigures> {
  const first: number[] = [];
  const next: number[] = [];
  const ask: number[] = [];
  const check: number[] = [];
  for (let run = 0; run < runs; run++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-startup-bench-'));
    try {
      first.push(await timeStart(dir, dataDir));
      next.push(await timeStart(dir, dataDir));
      ask.push(await timeCommand(dir, dataDir, ['ask', QUESTION], 0));
      check.push(await timeCommand(dir, dataDir, ['check'], 0));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return {
    firstStart: summarize(first),
    nextStart: summarize(next),
    ask: summarize(ask),
    check: summarize(check),
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

export function startupMarkdown(figures: StartupFigures, runs: number): string {
  const row = (name: string, t: Timing) => `| ${name} | ${seconds(t.best)} s | ${seconds(t.median)} s |`;
  return [
    '## Start-up',
    '',
    `\`npm run bench\` (start-up part: \`npx tsx bench/startup-bench.ts\`), default knowledge, ${runs} runs,`,
    'wall clock from spawning the command: `npm start` until the web chat answers a question',
    '(POST /api/conversations/{id}/messages), the commands until they exit.',
    '',
    '| | best | median |',
    '|---|---:|---:|',
    row('`npm start` until the web chat answers, new DATA_DIR', figures.firstStart),
    row('`npm start` until the web chat answers, same DATA_DIR again', figures.nextStart),
    row('`npx support-bot ask "…"`', figures.ask),
    row('`npx support-bot check`', figures.check),
  ].join('\n');
}

export async function benchStartup(options: { dir?: string; runs?: number } = {}): Promise<string> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const dir = options.dir ?? new URL('../', import.meta.url).pathname;
  return startupMarkdown(await measureStartup(dir, runs), runs);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, dir: { type: 'string' }, json: { type: 'boolean' } },
  });
  const runs = values.runs ? Number(values.runs) : DEFAULT_RUNS;
  const dir = values.dir ?? new URL('../', import.meta.url).pathname;
  const figures = await measureStartup(dir, runs);
  process.stdout.write(values.json ? `${JSON.stringify(figures)}\n` : `${startupMarkdown(figures, runs)}\n`);
}
