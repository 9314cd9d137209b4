import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pageErrors } from '../../support/chromium.ts';
import { WebChats } from '../../support/web-chats.ts';
import { ask, clickAndWait } from './chat-driver.ts';
import { answerFor } from './intake-driver.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

let fx: WebFixture;
let browser: Browser;

beforeAll(async () => {
  fx = await startWebFixture();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await fx?.close();
});

describe('web chat and console in a browser', () => {
  it('answers, follows up, hands over, and shows the agent reply without a reload', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const chat = await context.newPage();
    const chatErrors = pageErrors(chat);
    await chat.goto(`${fx.url}/`);
    await expect.poll(() => chat.title()).toBe('IT-Support');

    // A German question, then an English one.
    await ask(chat, 'Ich habe mein Passwort vergessen');
    const german = chat.locator('article.answer').last();
    await expect.poll(() => german.getAttribute('data-entry')).toBe('password-reset');
    expect(await german.locator('.answer-title').textContent()).toContain('Passwort');
    // Markdown bold became markup, not asterisks.
    expect(await german.locator('.body strong').count()).toBeGreaterThan(0);

    await ask(chat, 'How do I connect to the VPN from home?');
    const english = chat.locator('article.answer').last();
    expect(await english.getAttribute('data-entry')).toMatch(/^vpn-/);
    // Labels inside a reply follow the reply's language, not the German page's.
    expect(await english.locator('.related').getAttribute('aria-label')).toBe('Related:');
    const firstAnswer = chat.locator('article.answer').first();
    expect(await firstAnswer.locator('.related').getAttribute('aria-label')).toBe('Passend dazu:');

    // A related follow-up, clicked as a button.
    const related = english.locator('.related button').first();
    const relatedTitle = (await related.textContent()) ?? '';
    await clickAndWait(chat, related);
    expect(await chat.locator('article.answer').last().locator('.answer-title').textContent()).toBe(
      relatedTitle,
    );

    // Ask for a person and fill the intake, as a customer would.
    await ask(chat, 'Mein Drucker druckt nur leere Seiten');
    await clickAndWait(
      chat,
      chat.locator('article.msg.bot').last().locator('button[data-action="talk-to-person"]'),
    );
    for (let step = 0; step < 15 && (await chat.locator('.ticket-id').count()) === 0; step++) {
      const last = chat.locator('article.msg.bot').last();
      const option = last.locator(
        'button[data-action="choose-value"]:enabled, button[data-action="consent"]:enabled, button[data-action="skip"]:enabled',
      );
      if ((await option.count()) > 0) await clickAndWait(chat, option.first());
      else await ask(chat, answerFor((await last.getAttribute('data-field')) ?? 'summary'));
    }
    const ticketId = (await chat.locator('.ticket-id').first().textContent()) ?? '';
    expect(ticketId).toMatch(/^SUP-\d+$/);

    // The console: sign in with the token, claim the ticket and reply.
    const desk = await context.newPage();
    const consoleErrors = pageErrors(desk);
    await desk.goto(`${fx.url}/admin`);
    await desk.getByLabel('Admin-Token').fill(ADMIN_TOKEN);
    await desk.getByRole('button', { name: 'Anmelden' }).click();
    await desk.getByLabel('Ihr Name').fill('Erika Mustermann');
    await desk.locator(`#ticket-rows tr[data-ticket="${ticketId}"]`).click();
    await desk.locator('[data-do="claim"]').click();
    await expect
      .poll(() => desk.locator(`#ticket-rows tr[data-ticket="${ticketId}"]`).textContent())
      .toContain('Erika Mustermann');
    await desk.getByLabel('Antwort an den Kunden').fill('Hallo, ich sehe mir den Drucker gleich an.');
    await desk.getByRole('button', { name: 'Senden' }).click();
    await expect
      .poll(() => desk.locator('#ticket-detail').textContent())
      .toContain('ich sehe mir den Drucker gleich an');

    // The customer's page shows it without a reload.
    const relay = chat.locator('article.relay');
    await relay.first().waitFor({ timeout: 15_000 });
    expect(await relay.first().textContent()).toContain('Hallo, ich sehe mir den Drucker gleich an.');

    // After a reload the conversation is still there.
    await chat.reload();
    await chat.locator('article.relay').first().waitFor();
    expect(await chat.locator('.ticket-id').first().textContent()).toBe(ticketId);
    // The page kept the token the server issued, so it still fetches what the agent writes next.
    const kept = (await chat.evaluate(
      "({ id: localStorage.getItem('sb.chat.id'), token: localStorage.getItem('sb.chat.token') })",
    )) as { id: string; token: string };
    expect(kept.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await fx.bot.stores.tickets.get(ticketId))?.conversation.conversationId).toBe(`web:${kept.id}`);
    await desk.getByLabel('Antwort an den Kunden').fill('Nach dem Neuladen noch eine Frage: welcher Stock?');
    await desk.getByRole('button', { name: 'Senden' }).click();
    await chat.getByText('Nach dem Neuladen noch eine Frage').waitFor({ timeout: 15_000 });

    expect(chatErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('lets a curator teach an entry an unanswered question from the console', async () => {
    const question = 'Wie buche ich einen Besprechungsraum mit Beamer?';
    const chats = new WebChats(fx.url);
    const post = (text: string) =>
      chats
        .post('curator-check', { text })
        .then(async (r) => ((await r.json()) as { replies: { type: string; entryId?: string }[] }).replies);
    expect((await post(question)).some((r) => r.type === 'answer')).toBe(false);

    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${fx.url}/admin`);
    await page.getByLabel('Admin-Token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByLabel('Ihr Name').fill('Carla Kurator');
    await page.getByRole('tab', { name: 'Unbeantwortet' }).click();
    const row = page.locator('#unanswered-rows tr', { hasText: question });
    await row.getByLabel('FAQ-Eintrag, der diese Frage beantwortet').fill('printer-add');
    await row.locator('[data-do="teach"]').click();
    await row.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();

    // The bot now knows the question.
    const again = await post(question);
    expect(again[0]).toMatchObject({ type: 'answer', entryId: 'printer-add' });
  });

  it('rejects a wrong token in the console', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${fx.url}/admin`);
    await page.getByLabel('Admin token').fill('definitely-wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toMatch(/wrong/i);
    expect(await page.locator('#app').isHidden()).toBe(true);
    await context.close();
  });
});
