import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, parseConfig } from '../../../src/config/config.ts';
import {
  describeSettings,
  renderConfigurationMarkdown,
  renderEnvExample,
} from '../../../tools/config-reference.ts';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('configuration reference', () => {
  it('docs/configuration.md is what the schema generates (run `npm run docs:config` after a change)', () => {
    expect(read('docs/configuration.md')).toBe(renderConfigurationMarkdown());
  });

  it('.env.example is what the schema generates', () => {
    expect(read('.env.example')).toBe(renderEnvExample());
  });

  it('documents every setting the schema has, with its default as parsing gives it', () => {
    const settings = describeSettings();
    expect(settings.map((s) => s.name)).toEqual(Object.keys(ConfigSchema.shape));
    const parsed = parseConfig({}) as Record<string, unknown>;
    for (const setting of settings) {
      if (setting.defaultValue === undefined) expect(parsed[setting.name]).toBeUndefined();
      else expect(String(parsed[setting.name])).toBe(setting.defaultValue);
      expect(setting.description.length).toBeGreaterThan(10);
    }
  });

  it('the .env example, uncommented, is a valid configuration', () => {
    const env: Record<string, string> = {};
    for (const line of renderEnvExample().split('\n')) {
      const m = /^# ([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (m?.[1]) env[m[1]] = m[2] ?? '';
    }
    expect(Object.keys(env)).toEqual(Object.keys(ConfigSchema.shape));
    expect(() => parseConfig(env)).not.toThrow();
  });
});
