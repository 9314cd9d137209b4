import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountAdminConsole } from '../../../src/admin/mount-admin-console.ts';
import { startWebChannel, type WebChannel } from '../../../src/channels/web/start-web-channel.ts';
import { HttpServer } from '../../../src/http/http-server.ts';
import { createLocalBot, type LocalBot } from '../../../src/local-bot.ts';
import { launchChromium, pageErrors } from '../../support/chromium.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import { answeredId, STAMP_QUESTION } from './curation-fixture.ts';

/** Longest wait for an edit that rebuilds the matcher index. */
const REBUILD_MS = 15_000;

const TOKEN = 'faq-console-token-0815';
let bot: LocalBot;
let server: HttpServer;
let web: WebChannel;
let browser: Browser;
let url: string;

beforeAll(async () => {
  bot = await createLocalBot({
    knowledgeDir: 'knowledge',
    intentsDir: 'intents',
    supportConfig: 'config/support.yaml',
    thresholds: shippedThresholds(),
  });
  server = new HttpServer({ port: 0, stopGraceMs: 1_000 });
  web = await startWebChannel({ server, engine: bot.engine, stores: bot.stores });
  mountAdminConsole({
    server,
    agentDesk: bot.agentDesk,
    stores: bot.stores,
    understanding: bot.understanding,
    curation: bot.curation,
    adminToken: TOKEN,
  });
  url = (await server.start()).url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await server?.stop();
  await bot?.close();
});

describe('the console FAQ tab', () => {
  it('finds an entry, refuses a bad edit with its problems, saves a new phrasing, teaches a question and exports', async () => {
    const question = await bot.stores.unanswered.add({
      at: Date.now(),
      text: 'Mein Transponder öffnet die Tiefgarage nicht mehr',
      language: 'de',
      conversationId: 'web:console-test',
    });
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${url}/admin`);
    await page.getByLabel('Admin-Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByLabel('Ihr Name').fill('Erika Mustermann');
    await page.getByRole('tab', { name: 'FAQ' }).click();

    await page.getByLabel('Eintrag suchen').fill('Hardware');
    await page.getByRole('button', { name: 'Öffnen' }).click();
    await page
      .getByRole('button', { name: /\(hardware-request\)/ })
      .first()
      .click();
    await expect.poll(() => page.locator('#faq-editor h2').textContent()).toBe('hardware-request');

    // A bad edit: every problem is listed and nothing changes.
    const title = page.getByLabel('Titel');
    const before = await title.inputValue();
    await title.fill('');
    await page.getByLabel('Verwandte Einträge (IDs, mit Komma getrennt)').fill('no-such-entry');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => page.locator('#faq-message').textContent()).toContain('Nicht gespeichert');
    const problems = await page.locator('#faq-message li code').allTextContents();
    expect(problems).toEqual(expect.arrayContaining(['title', 'related[0]']));
    expect(bot.understanding.entry('hardware-request', 'de')?.title).toBe(before);

    // A good edit: one more phrasing, answered at once.
    await title.fill(before);
    await page.getByLabel('Verwandte Einträge (IDs, mit Komma getrennt)').fill('');
    const questions = page.getByLabel('Fragen (eine pro Zeile)');
    await questions.fill(`${await questions.inputValue()}\n${STAMP_QUESTION}`);
    await page.getByLabel('Grund der Änderung').fill('Empfang fragt oft');
    await page.getByRole('button', { name: 'Speichern' }).click();
    // A save answers once the matcher index is rebuilt (about a second on a busy machine).
    await expect
      .poll(() => page.locator('#faq-message').textContent(), { timeout: REBUILD_MS })
      .toContain('Gespeichert');
    expect(answeredId(bot.understanding, STAMP_QUESTION)).toBe('hardware-request');
    await expect.poll(() => page.locator('.faq-history li').count()).toBe(1);
    expect(await page.locator('.faq-history li').textContent()).toContain('Erika Mustermann');

    // Teach the open question.
    await page.locator(`[data-question="${question.id}"] button`).click();
    await expect
      .poll(() => page.locator('#faq-message').textContent(), { timeout: REBUILD_MS })
      .toContain('Gelernt');
    expect(bot.understanding.entry('hardware-request', 'de')?.questions).toContain(question.text);
    expect((await bot.stores.unanswered.list('answered')).map((q) => q.id)).toEqual([question.id]);

    await page.getByRole('button', { name: 'Als Datei exportieren' }).click();
    await expect.poll(() => page.locator('.faq-export').textContent()).toContain('id: hardware-request');
    expect(await page.locator('.faq-export').textContent()).toContain(question.text);

    // The browser logs the refused edit's 400 itself; any other error is a fault of the page.
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    expect(errors).toHaveLength(1);
    await context.close();
  });
});
