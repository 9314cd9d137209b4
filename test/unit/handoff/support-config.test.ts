import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { ValidationFailedError } from '../../../src/core/errors.ts';
import {
  loadSupportConfig,
  parseSupportConfig,
  type SupportConfigSchema,
} from '../../../src/handoff/support-config.ts';

type RawConfig = z.input<typeof SupportConfigSchema> & { surprise?: boolean };

/** The shipped file as plain data, to break on purpose. */
async function shippedConfig(): Promise<RawConfig> {
  return parse(await readFile('config/support.yaml', 'utf8')) as RawConfig;
}

function at<T>(list: T[] | undefined, index: number): T {
  const item = list?.[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'support-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsOf(load: () => Promise<unknown>): Promise<string[]> {
  try {
    await load();
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.problems.map((p) => `${p.field}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('support config', () => {
  it('loads the shipped config/support.yaml', async () => {
    const config = await loadSupportConfig('config/support.yaml');
    expect(config.defaultQueue).toBe('general');
    expect(config.forms.default?.fields.map((f) => f.name)).toEqual([
      'summary',
      'system',
      'error',
      'since',
      'impact',
      'urgency',
      'contact',
    ]);
    expect(config.priorityMatrix.company?.blocks).toBe('P1');
    expect(config.businessHours.timezone).toBe('Europe/Berlin');
  });

  it('lists every problem of a broken file by field', async () => {
    const shipped = await shippedConfig();
    const form = shipped.forms.default;
    if (!form || !shipped.businessHours) throw new Error('shipped config lacks the default form');
    shipped.businessHours.timezone = 'Mars/Olympus';
    shipped.sla.default.P2.reactionMinutes = -5;
    form.fields = form.fields.filter((f) => f.name !== 'contact');
    at(form.fields, 4).options = undefined;
    shipped.surprise = true;
    const problems = await problemsOf(async () => parseSupportConfig(shipped));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^businessHours\.timezone: unknown time zone/),
        expect.stringMatching(/^sla\.default\.P2\.reactionMinutes: /),
        expect.stringMatching(/^forms\.default\.fields: missing field "contact"/),
        expect.stringMatching(/^forms\.default\.fields\.4\.options: a choice field needs options/),
        expect.stringMatching(/^\(root\): Unrecognized key.*surprise/),
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });

  it('cross-checks queues, forms and the priority matrix', async () => {
    const shipped = await shippedConfig();
    shipped.defaultQueue = 'helpdesk';
    at(shipped.queues, 1).form = 'missing-form';
    delete shipped.priorityMatrix.team;
    const problems = await problemsOf(async () => parseSupportConfig(shipped));
    expect(problems).toEqual(
      expect.arrayContaining([
        'defaultQueue: queue "helpdesk" is not defined',
        'queues.1.form: unknown form "missing-form"',
        expect.stringMatching(/^priorityMatrix\.team\.can-wait: no priority for impact "team"/),
      ]),
    );
  });

  it('reports YAML syntax errors with their line', async () => {
    const file = join(dir, 'support.yaml');
    await writeFile(file, 'defaultQueue: general\nqueues:\n  - id: [unclosed\n');
    const problems = await problemsOf(() => loadSupportConfig(file));
    expect(problems[0]).toMatch(/^line \d+: /);
  });
});
