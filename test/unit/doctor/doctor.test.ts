import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/channels/web/http-server.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { runDoctorCommand } from '../../../src/doctor/doctor-command.ts';
import type { Finding } from '../../../src/doctor/finding.ts';
import { whyNotPublicHttps } from '../../../src/doctor/public-url.ts';
import { runDoctor } from '../../../src/doctor/run-doctor.ts';
import { manifestBotScopes } from '../../../src/doctor/slack-check.ts';
import { redisTestUrl } from '../../support/redis.ts';
import { freePort, startRedisServer, stopRedisServer } from '../../support/redis-server.ts';
import { SlackApiStandIn } from '../../support/slack-api-stand-in.ts';

const GUID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const of = (findings: Finding[], part: string) => findings.filter((f) => f.part === part);
const problems = (findings: Finding[], part: string) =>
  of(findings, part)
    .filter((f) => f.status === 'problem')
    .map((f) => f.detail);

/** Accepts connections and never answers: what a blackholed address looks like from here. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('support-bot doctor', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'doctor-'));
  const slack = new SlackApiStandIn();
  let productionRedis: ChildProcess;
  let productionRedisUrl: string;
  let scopes: string[];

  beforeAll(async () => {
    await slack.start();
    scopes = await manifestBotScopes(new URL('../../../manifest.json', import.meta.url));
    const port = await freePort();
    // As production runs it: AOF on, no eviction.
    productionRedis = await startRedisServer(port, [
      '--appendonly',
      'yes',
      '--dir',
      dataDir,
      '--maxmemory-policy',
      'noeviction',
    ]);
    productionRedisUrl = `redis://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await slack.stop();
    await stopRedisServer(productionRedis);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes a production-like deployment: Redis with AOF and noeviction, Slack token with every scope', async () => {
    slack.grantedScopes = scopes;
    const server = new HttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
    const { url } = await server.start();
    try {
      const findings = await runDoctor(
        {
          REDIS_URL: productionRedisUrl,
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_SOCKET_MODE: 'true',
          SLACK_APP_TOKEN: 'xapp-test',
          SLACK_API_URL: slack.apiUrl,
          PUBLIC_URL: url,
        },
        2_000,
      );
      expect(findings.filter((f) => f.status === 'problem')).toEqual([]);
      expect(of(findings, 'store').map((f) => f.detail)).toEqual([
        expect.stringContaining('answers'),
        'Redis persistence: AOF on',
        'Redis maxmemory-policy: noeviction',
      ]);
      expect(of(findings, 'slack').map((f) => f.detail)).toContain('every scope of manifest.json is granted');
      expect(of(findings, 'public URL')[0]).toMatchObject({ status: 'ok' });
    } finally {
      await server.stop();
    }
  });

  it('names what is wrong: AOF off, missing scopes, a refused token, partial Teams credentials', async () => {
    slack.grantedScopes = scopes.filter((s) => s !== 'chat:write' && s !== 'users:read');
    const findings = await runDoctor(
      {
        REDIS_URL: redisTestUrl(), // the test Redis keeps nothing on disk
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.apiUrl,
        PUBLIC_URL: 'http://localhost:3000',
        MICROSOFT_APP_ID: GUID,
      },
      2_000,
    );
    expect(problems(findings, 'store')).toEqual([expect.stringContaining('AOF is off')]);
    const slackProblems = problems(findings, 'slack');
    expect(slackProblems).toContainEqual(expect.stringContaining('is not HTTPS'));
    expect(slackProblems).toContainEqual(
      'scopes missing from the installed app: chat:write, users:read (reinstall the app from manifest.json)',
    );
    expect(problems(findings, 'teams')).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_PASSWORD missing/),
      expect.stringMatching(/^MICROSOFT_APP_TENANT_ID missing/),
    ]);

    slack.failNext('auth.test', { kind: 'platform-error', error: 'invalid_auth' });
    const refused = await runDoctor(
      {
        SLACK_BOT_TOKEN: 'xoxb-bad',
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: slack.apiUrl,
        DATA_DIR: dataDir,
      },
      2_000,
    );
    expect(problems(refused, 'slack')).toContainEqual('auth.test refused the token: invalid_auth');
  });

  it('says "not reachable" for each network part when offline, within the timeout, instead of hanging', async () => {
    const silent = await silentServer();
    const closedPort = await freePort();
    try {
      const findings = await runDoctor(
        {
          REDIS_URL: `redis://127.0.0.1:${closedPort}`,
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: `${silent.url}/api/`,
          PUBLIC_URL: silent.url,
        },
        300,
      );
      expect(problems(findings, 'store')).toEqual([expect.stringMatching(/not reachable: ECONNREFUSED/)]);
      expect(problems(findings, 'slack')).toContainEqual('Slack API not reachable: no answer within 0.3 s');
      expect(problems(findings, 'public URL')).toEqual([
        `${silent.url}/healthz not reachable: no answer within 0.3 s`,
      ]);
    } finally {
      await silent.close();
    }
  });

  it('checks the Teams messaging endpoint is public HTTPS', async () => {
    const teams = (publicUrl: string | undefined, appId = GUID) =>
      runDoctor(
        {
          MICROSOFT_APP_ID: appId,
          MICROSOFT_APP_PASSWORD: 'secret',
          MICROSOFT_APP_TENANT_ID: GUID,
          DATA_DIR: dataDir,
          ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}),
        },
        300,
      ).then((f) => of(f, 'teams'));
    expect(await teams('https://bot.example.com')).toEqual([
      { part: 'teams', status: 'ok', detail: 'credentials set (app id, secret, tenant)' },
      { part: 'teams', status: 'ok', detail: 'messaging endpoint https://bot.example.com/api/messages' },
    ]);
    expect((await teams('https://10.1.2.3')).map((f) => f.status)).toEqual(['ok', 'problem']);
    expect((await teams(undefined, 'not-a-guid')).map((f) => f.detail)).toEqual([
      'MICROSOFT_APP_ID is not a GUID',
      expect.stringContaining('set PUBLIC_URL'),
    ]);
  });

  // Two doctor runs, each loading the knowledge: a generous limit for a loaded machine.
  it('says what Teams agent channels need, and that they are useless with Teams off', async () => {
    const channels = 'general=19:abc@thread.tacv2,level3=19:def@thread.tacv2';
    const on = of(
      await runDoctor(
        {
          MICROSOFT_APP_ID: GUID,
          MICROSOFT_APP_PASSWORD: 'secret',
          MICROSOFT_APP_TENANT_ID: GUID,
          PUBLIC_URL: 'https://bot.example.com',
          TEAMS_AGENT_CHANNELS: channels,
          DATA_DIR: dataDir,
        },
        300,
      ),
      'teams',
    );
    expect(on.at(-1)).toEqual({
      part: 'teams',
      status: 'ok',
      detail: expect.stringContaining('2 agent channel(s)'),
    });
    const off = of(await runDoctor({ TEAMS_AGENT_CHANNELS: channels, DATA_DIR: dataDir }, 300), 'teams');
    expect(off.map((f) => f.status)).toEqual(['skipped', 'warning']);
  }, 120_000);

  it('tells public HTTPS from addresses Slack and Microsoft cannot reach', () => {
    expect(whyNotPublicHttps('https://support.example.com')).toBeUndefined();
    expect(whyNotPublicHttps('https://203.0.113.7:8443')).toBeUndefined();
    for (const local of [
      'https://localhost',
      'https://127.0.0.1',
      'https://10.0.0.5',
      'https://172.20.1.1',
      'https://192.168.1.10',
      'https://[::1]',
      'https://[fd00::1]',
      'https://bot.internal',
      'https://supportbox',
    ]) {
      expect(whyNotPublicHttps(local), local).toMatch(/not reachable from the internet/);
    }
    expect(whyNotPublicHttps('http://support.example.com')).toMatch(/not HTTPS/);
  });

  it('stops at an invalid configuration with every problem, and exits 1 on problems', async () => {
    const out: string[] = [];
    const io = {
      stdout: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
      env: { PORT: 'eighty', MATCH_THRESHOLD: '2' },
    };
    expect(await runDoctorCommand([], io)).toBe(1);
    const text = out.join('');
    expect(text).toMatch(/problem\s+configuration\s+env PORT/);
    expect(text).toMatch(/problem\s+configuration\s+env MATCH_THRESHOLD/);
    expect(text).toMatch(/2 problems, 0 warnings/);

    out.length = 0;
    io.env = { DATA_DIR: dataDir } as never;
    expect(await runDoctorCommand(['--json'], io)).toBe(0);
    const findings = JSON.parse(out.join('')) as Finding[];
    expect(findings.map((f) => f.part)).toEqual([
      'configuration',
      'knowledge',
      'store',
      'slack',
      'teams',
      'public URL',
    ]);
  });
});
