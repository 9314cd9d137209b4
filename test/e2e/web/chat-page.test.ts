import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { wcagViolations } from '../../support/accessibility.ts';
import { pageErrors } from '../../support/chromium.ts';
import { ask, clickAndWait, useBotAndBrowser } from './chat-driver.ts';

const suite = useBotAndBrowser();

/** Where the chat log is scrolled to, and how far its end is. */
function logScroll(page: Page) {
  return page.locator('#messages').evaluate((box) => ({
    top: box.scrollTop,
    end: box.scrollHeight - box.clientHeight,
    height: box.clientHeight,
  }));
}

/** Whether the element is inside the visible part of the chat log, top and bottom. */
async function visibleInLog(page: Page, element: Locator): Promise<boolean> {
  const log = await page.locator('#messages').boundingBox();
  const box = await element.boundingBox();
  if (!log || !box) return false;
  return box.y >= log.y && box.y + box.height <= log.y + log.height;
}

const focusedId = async (page: Page) => (await page.locator(':focus').getAttribute('id')) ?? '';

describe('the chat page', () => {
  it('shows a long new answer from its title, and short replies at the end of the log', async () => {
    const context = await suite.browser.newContext({
      locale: 'de-DE',
      viewport: { width: 400, height: 600 },
    });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${suite.fx.url}/`);

    await ask(page, 'VPN verbindet nicht');
    const answer = page.locator('article.answer').last();
    const title = answer.locator('.answer-title');
    // The case in question: the answer is taller than the log can show at once.
    const { height } = await logScroll(page);
    expect((await answer.boundingBox())?.height).toBeGreaterThan(height);
    expect(await visibleInLog(page, title)).toBe(true);
    expect(await visibleInLog(page, answer.locator('.body li').first())).toBe(true);
    const scrolled = await logScroll(page);
    expect(scrolled.top).toBeLessThan(scrolled.end);
    // The customer keeps typing where they were.
    expect(await focusedId(page)).toBe('composer-input');

    // A reload shows the bot's current turn the same way.
    await page.reload();
    await title.waitFor();
    expect(await visibleInLog(page, title)).toBe(true);

    // A short reply fits: the log shows its end, the customer's message included.
    await ask(page, 'Danke');
    const after = await logScroll(page);
    expect(after.end - after.top).toBeLessThanOrEqual(1);
    expect(await visibleInLog(page, page.locator('article.customer').last())).toBe(true);
    expect(await visibleInLog(page, page.locator('article.notice').last())).toBe(true);

    expect(await wcagViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('speaks the conversation’s language in every label, also after a reload', async () => {
    // The browser asks for English; the customer writes German.
    const context = await suite.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${suite.fx.url}/`);
    const input = page.locator('#composer-input');
    const pageTexts = async () => ({
      lang: await page.locator('html').getAttribute('lang'),
      title: await page.title(),
      placeholder: await input.getAttribute('placeholder'),
      send: await page.locator('#send-button').textContent(),
      person: await page.locator('#person-button').textContent(),
      pressed: await page.locator('.lang[aria-pressed="true"]').getAttribute('data-lang'),
      you: await page.locator('article.customer .sender').allTextContents(),
    });
    const GERMAN = { lang: 'de', title: 'IT-Support', send: 'Senden', person: 'Mit einer Person sprechen' };
    const ENGLISH = { lang: 'en', title: 'IT Support', send: 'Send', person: 'Talk to a person' };
    expect(await pageTexts()).toMatchObject({ ...ENGLISH, placeholder: 'Your question …' });

    await ask(page, 'Ich habe mein Passwort vergessen');
    const german = await pageTexts();
    expect(german).toMatchObject({ ...GERMAN, placeholder: 'Ihre Frage …', pressed: 'de' });
    expect(german.you).toEqual(['Sie']);
    await page.reload();
    expect(await pageTexts()).toEqual(german);

    // While the bot waits for an intake detail, the placeholder names it, reload or not.
    await clickAndWait(page, page.locator('#person-button'));
    expect(await input.getAttribute('placeholder')).toBe('Kurzbeschreibung …');
    await page.reload();
    expect(await pageTexts()).toMatchObject({ ...GERMAN, placeholder: 'Kurzbeschreibung …' });
    // Once the intake is over, a reload does not bring that placeholder back.
    await clickAndWait(page, page.locator('article.ask').last().locator('button[data-action="cancel"]'));
    expect(await input.getAttribute('placeholder')).toBe('Ihre Frage …');
    await page.reload();
    expect(await pageTexts()).toMatchObject({ ...GERMAN, placeholder: 'Ihre Frage …' });

    // The customer goes on in English: the page follows, and stays so after a reload.
    await ask(page, 'How do I connect to the VPN from home?');
    const english = await pageTexts();
    expect(english).toMatchObject({ ...ENGLISH, placeholder: 'Your question …', pressed: 'en' });
    expect(new Set(english.you)).toEqual(new Set(['You']));
    await page.reload();
    expect(await pageTexts()).toEqual(english);
    expect(await wcagViolations(page)).toEqual([]);

    // The switch in the header changes every label at once.
    await page.getByRole('button', { name: 'DE', exact: true }).click();
    expect(await pageTexts()).toMatchObject({ ...GERMAN, placeholder: 'Ihre Frage …', pressed: 'de' });
    // Focus stays on the switch.
    expect(await page.locator(':focus').getAttribute('data-lang')).toBe('de');
    expect(await wcagViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sends a screenshot with the attach button, and says politely when a file is refused', async () => {
    const context = await suite.browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${suite.fx.url}/`);
    const attach = page.getByRole('button', { name: 'Datei anhängen' });
    await attach.waitFor();
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
      Buffer.alloc(200, 1),
    ]);
    await page
      .locator('#attach-input')
      .setInputFiles({ name: 'fehler.png', mimeType: 'image/png', buffer: png });
    await page.getByText('ich habe „fehler.png“ aufbewahrt').waitFor();
    expect(await page.locator('article.customer').last().textContent()).toContain('📎 fehler.png');
    await page.locator('#attach-input').setInputFiles({
      name: 'bild.png',
      mimeType: 'image/png',
      buffer: Buffer.from('MZ\u0090\u0000 not a picture', 'latin1'),
    });
    await page.getByText('kann ich leider nicht annehmen').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    // The refusal itself is the only thing the browser logs; no script failed.
    expect(errors).toEqual([expect.stringContaining('status of 415')]);
    await context.close();
  });
});
