import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../../src/core/messages.ts';
import { cardOf, cardText, startTeamsFixture, type TeamsFixture } from './teams-fixture.ts';

let fixture: TeamsFixture;
beforeAll(async () => {
  fixture = await startTeamsFixture();
});
afterAll(async () => {
  await fixture?.close();
});

async function commandTitles(): Promise<{ en: string[]; de: string[] }> {
  const manifest = JSON.parse(await readFile('appPackage/manifest.json', 'utf8'));
  const german = JSON.parse(await readFile('appPackage/de.json', 'utf8')) as Record<string, string>;
  const commands = manifest.bots[0].commandLists[0].commands as { title: string }[];
  return {
    en: commands.map((c) => c.title),
    de: commands.map((_c, i) => german[`bots[0].commandLists[0].commands[${i}].title`] as string),
  };
}

describe('the commands Teams offers from the app manifest', () => {
  for (const language of ['de', 'en'] as const) {
    it(`are all understood (${language})`, async () => {
      const titles = (await commandTitles())[language];
      expect(titles.every(Boolean)).toBe(true);
      const rephrase = messagesFor(language).rephrase;
      for (const title of titles) {
        const customer = fixture.customer({ locale: language === 'de' ? 'de-DE' : 'en-US' });
        await customer.say(title);
        const reply = customer.messages()[0];
        const shown = `${reply?.activity.text ?? ''}${cardText(cardOf(reply))}`;
        expect(shown, title).not.toBe('');
        expect(shown, title).not.toContain(rephrase);
      }
    });
  }
});
