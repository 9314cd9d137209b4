import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALLBACK } from '../../../../src/channels/slack/slack-action-codec.ts';

interface Manifest {
  display_information: { name: string; description: string; long_description: string };
  features: {
    app_home: Record<string, boolean>;
    bot_user: { display_name: string };
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
    slash_commands: { command: string; url: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = JSON.parse(
  readFileSync(new URL('../../../../manifest.json', import.meta.url), 'utf8'),
) as Manifest;

describe('manifest.json', () => {
  it('fits Slack’s length rules for the app listing', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(174);
    expect(manifest.display_information.long_description.length).toBeLessThanOrEqual(4000);
    for (const s of manifest.features.shortcuts) {
      expect(s.name.length).toBeLessThanOrEqual(50);
      expect(s.description.length).toBeLessThanOrEqual(50);
    }
  });

  it('declares the shortcuts the bot listens for', () => {
    const byId = Object.fromEntries(manifest.features.shortcuts.map((s) => [s.callback_id, s.type]));
    expect(byId).toEqual({
      [CALLBACK.reportProblemShortcut]: 'global',
      [CALLBACK.askAboutMessageShortcut]: 'message',
      [CALLBACK.saveAsFaqShortcut]: 'message',
    });
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
