import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'report-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('support-bot report sla', () => {
  it('prints the month’s report as Markdown, JSON or CSV', async () => {
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const md = await runCli(['report', 'sla', '--month', '2026-11', '--format', 'md'], { env });
    expect(md.stderr).toBe('');
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# SLA report 2026-11\n/);
    const json = await runCli(['report', 'sla', '--month', '2026-11', '--org', 'muster-bau'], { env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      month: '2026-11',
      organisation: 'muster-bau',
      organisations: [{ id: 'muster-bau', blockHours: { hoursBought: 20, hoursLeft: 20 } }],
    });
    const csv = await runCli(['report', 'sla', '--month', '2026-11', '--format', 'csv'], { env });
    expect(csv.stdout.split('\n')[0]).toMatch(/^organisation,priority,tickets,reactionMetPercent/);
  }, 120_000);

  it('refuses a bad month or organisation with the reason', async () => {
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const month = await runCli(['report', 'sla', '--month', '2026-13'], { env });
    expect(month.code).toBe(2);
    expect(month.stderr).toMatch(/month must be YYYY-MM/);
    const org = await runCli(['report', 'sla', '--month', '2026-11', '--org', 'nobody'], { env });
    expect(org.code).toBe(2);
    expect(org.stderr).toMatch(/no organisation "nobody"/);
  }, 120_000);
});
