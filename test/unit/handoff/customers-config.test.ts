import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkBotFiles } from '../../../src/bot-files/load-bot-files.ts';
import { ValidationFailedError } from '../../../src/core/errors.ts';
import { CustomerDirectory } from '../../../src/handoff/customer-directory.ts';
import { loadCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { loadSupportConfig } from '../../../src/handoff/support-config.ts';

// biome-ignore lint/suspicious/noExplicitAny: the shipped file as raw data, broken on purpose field by field
type Raw = any;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'customers-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function shipped(): Promise<Raw> {
  return parse(await readFile('config/customers.yaml', 'utf8'));
}

async function problemsOf(raw: Raw): Promise<string[]> {
  const path = join(dir, 'customers.yaml');
  await writeFile(path, typeof raw === 'string' ? raw : stringify(raw));
  const support = await loadSupportConfig('config/support.yaml');
  try {
    await loadCustomersConfig(path, support);
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      for (const p of error.problems) expect(p.source).toBe(path);
      return error.problems.map((p) => `${p.field}: ${p.message}`);
    }
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('customers config', () => {
  it('loads the shipped config/customers.yaml with its organisations and the general tier', async () => {
    const config = await loadCustomersConfig(
      'config/customers.yaml',
      await loadSupportConfig('config/support.yaml'),
    );
    expect(config.default.tier).toBe('standard');
    const muster = config.organisations.find((o) => o.id === 'muster-bau');
    expect(muster?.contract).toMatchObject({ model: 'block-hours', hoursBought: 20, tier: 'business' });
    expect(config.tiers.business?.sla.P1).toEqual({
      reactionMinutes: 30,
      resolutionMinutes: 240,
      allHours: true,
    });
  });

  it('lists every problem at once, by field', async () => {
    const raw = await shipped();
    raw.default.tier = 'platinum';
    raw.organisations[0].contract.hoursBought = undefined;
    raw.organisations[0].contract.escalation.level3Queue = 'nowhere';
    raw.organisations[0].recognise.slackTeams = ['workspace'];
    raw.organisations[1].contract.model = 'pay-per-view';
    raw.organisations[2].contract.hourlyRate = undefined;
    raw.organisations[2].recognise.emailDomains = ['@pixel.example'];
    raw.tiers.business.sla.P2.reactionMinutes = -5;
    const problems = await problemsOf(raw);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^organisations\.0\.contract\.hoursBought: block-hours needs hoursBought/),
        expect.stringMatching(/^organisations\.0\.recognise\.slackTeams\.0: use a Slack team id/),
        expect.stringMatching(/^organisations\.1\.contract\.model: /),
        expect.stringMatching(/^organisations\.2\.contract\.hourlyRate: time-and-material needs hourlyRate/),
        expect.stringMatching(/^organisations\.2\.recognise\.emailDomains\.0: use a domain/),
        expect.stringMatching(/^tiers\.business\.sla\.P2\.reactionMinutes: /),
      ]),
    );
  });

  it('checks tiers, queues and identities across the file once its shape is right', async () => {
    const raw = await shipped();
    raw.default.tier = 'platinum';
    raw.organisations[0].contract.escalation.level3Queue = 'nowhere';
    raw.organisations[1].recognise.emailDomains = ['muster-bau.example'];
    raw.organisations.push({ ...raw.organisations[2] });
    raw.tiers.premium.sla.P4 = { reactionMinutes: 5000, resolutionMinutes: 100 };
    expect(await problemsOf(raw)).toEqual([
      'default.tier: unknown tier "platinum"',
      'organisations.0.contract.escalation.level3Queue: queue "nowhere" is not in the support config',
      'organisations.1.recognise.emailDomains.0: "muster-bau.example" already belongs to organisation "muster-bau"',
      'organisations.3.id: duplicate organisation "agentur-pixel"',
      'tiers.premium.sla.P4.reactionMinutes: reaction time is longer than the resolution time',
    ]);
  });

  it('reports YAML syntax errors with their line, and a missing file', async () => {
    expect(await problemsOf('tiers:\n  a: [\n')).toEqual([expect.stringMatching(/^line \d+: /)]);
    const support = await loadSupportConfig('config/support.yaml');
    await expect(loadCustomersConfig(join(dir, 'absent.yaml'), support)).rejects.toThrow(
      /cannot read the file/,
    );
  });

  it('start-up lists the problems of customers.yaml together with those of the other files', async () => {
    const raw = await shipped();
    raw.organisations[0].contract.tier = 'gold';
    const path = join(dir, 'customers.yaml');
    await writeFile(path, stringify(raw));
    const supportPath = join(dir, 'support.yaml');
    const support = parse(await readFile('config/support.yaml', 'utf8'));
    support.defaultQueue = 'missing';
    await writeFile(supportPath, stringify(support));
    const error = await checkBotFiles({
      KNOWLEDGE_DIR: 'knowledge',
      INTENTS_DIR: 'intents',
      SUPPORT_CONFIG: supportPath,
      CUSTOMERS_CONFIG: path,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    const fields = (error as ValidationFailedError).problems.map((p) => `${p.source}|${p.field}`);
    expect(fields).toContain(`${supportPath}|defaultQueue`);
    expect(fields).toContain(`${path}|organisations.0.contract.tier`);
  });
});

describe('customer directory', () => {
  it('recognises organisations by grid, workspace, tenant, web identity and e-mail domain', async () => {
    const config = await loadCustomersConfig('config/customers.yaml');
    const directory = new CustomerDirectory(config);
    const of = (customer: Parameters<CustomerDirectory['organisationOf']>[0]) =>
      directory.organisationOf(customer)?.id;
    expect(of({ id: 'slack:T0MUSTER:U1' })).toBe('muster-bau');
    expect(of({ id: 'teams:x', identity: { teamsTenant: '6F1C2D3E-4A5B-4C6D-8E7F-9A0B1C2D3E4F' } })).toBe(
      'kanzlei-beispiel',
    );
    expect(of({ id: 'web:1', organisation: 'agentur-pixel' })).toBe('agentur-pixel');
    expect(of({ id: 'teams:y', email: 'Anna@Muster-Bau.example' })).toBe('muster-bau');
    expect(of({ id: 'slack:T0OTHER:U1', email: 'bob@gmail.example' })).toBeUndefined();
    const general = directory.serveCustomer({ id: 'web:2' });
    expect(general.organisation).toBeUndefined();
    expect(general.tierId).toBe('standard');
  });
});
