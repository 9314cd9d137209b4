import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { startWebFixture, type WebFixture } from './web-fixture.ts';

export interface BotAndBrowser {
  fx: WebFixture;
  browser: Browser;
}

/** The bot (as `npm start` builds it) and Chromium, started before a file's tests, stopped after. */
export function useBotAndBrowser(): BotAndBrowser {
  const suite = {} as BotAndBrowser;
  beforeAll(async () => {
    suite.fx = await startWebFixture();
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.fx?.close();
  });
  return suite;
}

/** Messages in the chat log (not the welcome line); each exchange adds the customer's and the bot's. */
export const MESSAGES = '#messages article:not(#placeholder-welcome)';
const messageCount = (page: Page) => page.locator(MESSAGES).count();

async function waitForReplies(page: Page, before: number): Promise<void> {
  await expect.poll(() => messageCount(page)).toBeGreaterThan(before + 1);
  await page.locator('#status.typing').waitFor({ state: 'detached' });
}

/** Types a message into the chat as a customer would and waits for the bot's replies. */
export async function ask(page: Page, text: string): Promise<void> {
  const before = await messageCount(page);
  await page.getByLabel(/Ihre Nachricht|Your message/).fill(text);
  await page.getByLabel(/Ihre Nachricht|Your message/).press('Enter');
  await waitForReplies(page, before);
}

/** Clicks a reply's button and waits for the bot's replies. */
export async function clickAndWait(page: Page, button: Locator): Promise<void> {
  const before = await messageCount(page);
  await button.click();
  await waitForReplies(page, before);
}
