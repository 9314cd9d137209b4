import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALLBACK } from '../../../../src/channels/slack/slack-action-codec.ts';
import { validateSlackManifest } from '../../../support/slack-manifest-schema.ts';

interface Manifest {
  features: {
    app_home: Record<string, boolean>;
    shortcuts: { name: string; type: string; callback_id: string }[];
    slash_commands: { command: string; url: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

const root = new URL('../../../../', import.meta.url);
const manifestText = readFileSync(new URL('manifest.json', root), 'utf8');
const manifest = JSON.parse(manifestText) as Manifest;

/** A fresh copy of the manifest, to break one field at a time. */
function manifestCopy(): Manifest & { display_information: Record<string, unknown> } {
  return JSON.parse(manifestText);
}

describe('manifest.json against Slack’s published app-manifest schema', () => {
  it('passes, every field', () => {
    const verdict = validateSlackManifest(JSON.parse(manifestText));
    expect(verdict.problems).toEqual([]);
    expect(verdict.valid).toBe(true);
  });

  it('the check is real: a 25-character shortcut name is rejected, 24 characters pass', () => {
    const tooLong = manifestCopy();
    const shortcut = tooLong.features.shortcuts[1];
    if (!shortcut) throw new Error('manifest.json has no second shortcut');
    shortcut.name = 'x'.repeat(25);
    const verdict = validateSlackManifest(tooLong);
    expect(verdict.valid).toBe(false);
    expect(verdict.problems).toContain('/features/shortcuts/1/name must NOT have more than 24 characters');

    shortcut.name = 'x'.repeat(24);
    expect(validateSlackManifest(tooLong).problems).toEqual([]);
  });

  it('the check is real: an unknown field and a colour that is not hex are rejected', () => {
    const broken = manifestCopy();
    broken.display_information.background_color = 'navy';
    broken.display_information.tagline = 'Support';
    const verdict = validateSlackManifest(broken);
    expect(verdict.valid).toBe(false);
    expect(verdict.problems).toContain(
      '/display_information/background_color must match ^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$',
    );
    expect(verdict.problems).toContain('/display_information must NOT have additional properties');
  });
});

describe('manifest.json, the code and the README', () => {
  it('declares the shortcuts the bot listens for', () => {
    const byId = Object.fromEntries(manifest.features.shortcuts.map((s) => [s.callback_id, s.type]));
    expect(byId).toEqual({
      [CALLBACK.reportProblemShortcut]: 'global',
      [CALLBACK.askAboutMessageShortcut]: 'message',
      [CALLBACK.saveAsFaqShortcut]: 'message',
    });
  });

  it('the README names each shortcut as Slack shows it', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const unnamed = manifest.features.shortcuts
      .map((s) => s.name)
      .filter((name) => !readme.includes(`**${name}**`));
    expect(unnamed).toEqual([]);
  });

  it('has /support and /faq, App Home with both tabs, and interactivity on one endpoint', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/support', '/faq']);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((c) => c.url),
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('subscribes to the events it handles and has the scopes they need', () => {
    const events = manifest.settings.event_subscriptions.bot_events;
    expect(events).toEqual(
      expect.arrayContaining(['app_mention', 'message.im', 'message.channels', 'app_home_opened']),
    );
    const scopes = manifest.oauth_config.scopes.bot;
    const needs: Record<string, string> = {
      app_mention: 'app_mentions:read',
      'message.im': 'im:history',
      'message.channels': 'channels:history',
      'message.groups': 'groups:history',
    };
    for (const event of events) if (needs[event]) expect(scopes).toContain(needs[event]);
    expect(scopes).toEqual(expect.arrayContaining(['chat:write', 'commands', 'im:write', 'users:read']));
  });
});
