// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText() is the text a person sees (rendered, hidden parts left out), which is what these checks are about; it is not the DOM property the rule means.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../../support/accessibility.ts';
import { type BotProcess, startBotProcess } from '../../support/bot-process.ts';
import { launchChromium, pageErrors } from '../../support/chromium.ts';
import { answerFor } from './intake-driver.ts';

/**
 * The "done when": a fresh clone that follows only the README (`npm start`, the chat at
 * `/`, the console at `/admin` with the token from `data/admin-token`) reaches a working chat, a
 * ticket and a resolved ticket in the console, with no raw codes on screen.
 */

let bot: BotProcess;
let browser: Browser;

// A whole working day in one journey (a process start, two browsers, axe on every view): on a
// busy two-core machine it needs more than the suite's default budget.
const START_BUDGET_MS = 120_000;
const JOURNEY_BUDGET_MS = 240_000;

beforeAll(async () => {
  [bot, browser] = await Promise.all([startBotProcess({}, START_BUDGET_MS - 10_000), launchChromium()]);
}, START_BUDGET_MS);

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
});

/** Waits for a value to turn up, patiently: the machine may be busy with other work. */
function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 20_000 });
}

// ---- the customer's page -------------------------------------------------------------------

const CHAT_MESSAGES = '#messages article:not(#placeholder-welcome)';

/** Runs `step` and waits until the bot has answered it (a new message, nothing pending). */
async function andTheBotAnswers(chat: Page, step: () => Promise<void>): Promise<void> {
  const before = await chat.locator(CHAT_MESSAGES).count();
  await step();
  await eventually(() => chat.locator(CHAT_MESSAGES).count()).toBeGreaterThan(before + 1);
  await chat.locator('#status.typing').waitFor({ state: 'detached' });
}

function type(chat: Page, text: string): Promise<void> {
  return andTheBotAnswers(chat, async () => {
    await chat.getByLabel('Ihre Nachricht').fill(text);
    await chat.getByLabel('Ihre Nachricht').press('Enter');
  });
}

/** Answers the intake as a customer clicking through would, until the ticket's id shows. */
async function fillIntake(chat: Page): Promise<string> {
  for (let step = 0; step < 15 && (await chat.locator('.ticket-id').count()) === 0; step++) {
    const last = chat.locator('article.msg.bot').last();
    const option = last.locator(
      'button[data-action="choose-value"]:enabled, button[data-action="consent"]:enabled, button[data-action="skip"]:enabled',
    );
    if ((await option.count()) > 0) await andTheBotAnswers(chat, () => option.first().click());
    else await type(chat, answerFor((await last.getAttribute('data-field')) ?? 'summary'));
  }
  return (await chat.locator('.ticket-id').first().textContent()) ?? '';
}

// ---- the console ---------------------------------------------------------------------------

/** Codes of the data model and config/support.yaml that people must never read in German. */
const RAW_CODES = [
  /\b(queued|claimed|resolved|cancelled|returned-to-bot)\b/,
  /\bweb:/,
  /\bintent:/,
  /\b(summary|system|error|since|impact|urgency|contact)\b/,
  /\b(one|team|company|can-wait|hinders|blocks)\b/,
  /\b(general|identity|network|collaboration|workplace|security|billing)\b/,
  /\b(person|not-understood|not-helpful)\b/,
];

async function rawCodesOn(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return RAW_CODES.flatMap((code) => code.exec(text)?.[0] ?? []);
}

/** The two boxes overlap (a toast lying over a field). */
async function overlaps(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = await Promise.all([a.boundingBox(), b.boundingBox()]);
  if (!x || !y || x.width === 0 || x.height === 0 || y.width === 0 || y.height === 0) return false;
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

/**
 * No message lies over `field`, nor over any part of the page's content or header: the dock sits
 * outside them, so this holds at any scroll position, not just the current one.
 */
async function expectNoToastOver(page: Page, field: Locator): Promise<void> {
  for (const toast of ['#toast', '#toast-alert']) {
    for (const area of [field, page.locator('main'), page.locator('header')]) {
      expect(await overlaps(page.locator(toast), area)).toBe(false);
    }
  }
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await wcagViolations(page)).toEqual([]);
}

const threadLines = (desk: Page) => desk.locator('[data-part="transcript"] .thread > li');

describe('first day with the bot, as the README describes it', () => {
  it('chat, hand-off, ticket, and a resolved ticket in the console, with labels instead of codes', {
    timeout: JOURNEY_BUDGET_MS,
  }, async () => {
    // The customer asks in the web chat, gets an answer, then wants a person.
    const customer = await browser.newContext({ locale: 'de-DE' });
    const chat = await customer.newPage();
    const chatErrors = pageErrors(chat);
    await chat.goto(`${bot.url}/`);
    await type(chat, 'Mein Drucker druckt nur leere Seiten');
    expect(await chat.locator('article.answer').count()).toBe(1);
    await type(chat, 'Ich möchte mit einem Menschen sprechen');
    const ticketId = await fillIntake(chat);
    expect(ticketId).toMatch(/^SUP-\d+$/);
    // What the customer writes after the hand-off belongs to the same conversation.
    await type(chat, 'Es ist der Drucker im zweiten Stock, Raum 2.14.');

    // The agent opens the console; the sign-in page says where the token is.
    const agent = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    const desk = await agent.newPage();
    await desk.goto(`${bot.url}/admin`);
    const hint = (await desk.locator('#login-hint').textContent()) ?? '';
    expect(hint).toContain('data/admin-token');
    expect(hint).toContain('ADMIN_TOKEN');
    await expectAccessible(desk);

    // A wrong token is refused in the console's language, next to the field.
    await desk.getByLabel('Admin-Token').fill('not-the-token');
    await desk.getByRole('button', { name: 'Anmelden' }).click();
    await eventually(() => desk.locator('#login-error').textContent()).toBe('Das Token ist falsch.');
    expect(await desk.getByLabel('Admin-Token').getAttribute('aria-describedby')).toContain('login-error');
    expect(await desk.getByLabel('Admin-Token').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(desk);

    // The token `npm start` wrote into the data directory signs in.
    const deskErrors = pageErrors(desk);
    await desk.getByLabel('Admin-Token').fill(await bot.adminToken());
    await desk.getByRole('button', { name: 'Anmelden' }).click();
    const row = desk.locator(`#ticket-rows tr[data-ticket="${ticketId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-status]').textContent()).toBe('Wartend');
    expect(await row.textContent()).toContain('Arbeitsplatz und Geräte');
    await row.click();
    const detail = desk.locator('#ticket-detail');
    await detail.locator('h2', { hasText: ticketId }).waitFor();

    // Labels from config/support.yaml and the console's words, never the codes behind them.
    const detailText = await detail.innerText();
    for (const label of ['Web-Besucher', 'Web-Chat', 'Kurzbeschreibung', 'Betroffene', 'Dringlichkeit']) {
      expect(detailText).toContain(label);
    }
    expect(await rawCodesOn(desk)).toEqual([]);

    // The bot's candidates are FAQ entries by title, never the "talk to a person" intent.
    const candidates = desk.locator('[data-part="candidates"]');
    expect(await candidates.innerText()).not.toMatch(/human|intent|talk to a person/i);
    expect(await candidates.locator('tr').count()).toBeGreaterThan(0);

    // One thread, oldest first: the question, the bot's rendered answer, then what came after.
    const lines = await threadLines(desk).allInnerTexts();
    const position = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(position('Mein Drucker druckt nur leere Seiten')).toBe(0);
    expect(position('Ticket angelegt')).toBeGreaterThan(position('Mein Drucker druckt nur leere Seiten'));
    expect(position('Raum 2.14')).toBeGreaterThan(position('Ticket angelegt'));
    const botAnswer = detail.locator('.thread .msg.bot').first();
    expect(await botAnswer.locator('strong, ol, ul').count()).toBeGreaterThan(0);
    expect(await botAnswer.innerText()).not.toContain('**');
    await expectAccessible(desk);

    // Claiming without a name: the error stands next to the name field, and nothing covers it.
    const claim = desk.locator('[data-do="claim"]');
    await claim.click();
    const name = desk.getByLabel('Ihr Name');
    await eventually(() => name.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    expect(await desk.locator(`#${describedBy}`).textContent()).toContain('Namen');
    expect(await desk.locator('#agent-name:focus').count()).toBe(1);
    await expectNoToastOver(desk, name);
    await expectAccessible(desk);

    await name.fill('Erika Mustermann');
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    await claim.click();
    await eventually(() => row.locator('[data-status]').textContent()).toBe('In Bearbeitung');
    await expect
      .poll(() => detail.locator('.detail-meta [data-status]').textContent())
      .toBe('In Bearbeitung');
    // The confirmation does not lie over any field of the ticket.
    await eventually(() => desk.locator('#toast').textContent()).toContain(ticketId);
    for (const field of ['#reply-text', '#resolve-note', '#escalate-queue', '#agent-name']) {
      await expectNoToastOver(desk, desk.locator(field));
    }
    await expectAccessible(desk);

    expect(await desk.locator('#toast').getAttribute('role')).toBe('status');
    expect(await desk.locator('#toast-alert').getAttribute('role')).toBe('alert');

    // Escalating without a target is pointed out at the queue choice, which offers queue names.
    await desk.getByRole('button', { name: 'Eskalieren' }).click();
    const target = desk.getByLabel('Ziel-Queue');
    await eventually(() => target.getAttribute('aria-invalid')).toBe('true');
    expect(await desk.locator('#escalate-queue-error').textContent()).toContain('Ziel-Queue');
    expect(await target.locator('option').allTextContents()).toContain('Netzwerk und VPN');
    await expectNoToastOver(desk, target);

    // An empty reply is pointed out at the reply field; a real one reaches the customer.
    await desk.getByRole('button', { name: 'Senden' }).click();
    await eventually(() => desk.locator('#reply-text').getAttribute('aria-invalid')).toBe('true');
    await expectNoToastOver(desk, desk.locator('#reply-text'));
    await desk.getByLabel('Antwort an den Kunden').fill('Hallo, ich tausche den **Toner** gleich.');
    await desk.getByRole('button', { name: 'Senden' }).click();
    const relay = chat.locator('article.relay').first();
    await relay.waitFor({ timeout: 15_000 });
    expect(await relay.textContent()).toContain('Hallo, ich tausche den Toner gleich.');
    const agentLine = detail.locator('.thread .msg.agent', { hasText: 'ich tausche den' });
    await agentLine.waitFor();
    expect(await agentLine.locator('strong').textContent()).toBe('Toner');
    expect(await agentLine.innerText()).toContain('Erika Mustermann');

    // An internal note is marked as such and never reaches the customer.
    await desk.getByLabel('Antwort an den Kunden').fill('note: Toner aus dem Lager 3 genommen');
    await desk.getByRole('button', { name: 'Senden' }).click();
    const note = detail.locator('.thread .msg.internal', { hasText: 'Lager 3' });
    await note.waitFor();
    expect(await note.innerText()).toContain('Interne Notiz');

    // Resolve: the console shows it resolved, the customer is told.
    await desk.getByLabel('Lösungsnotiz (optional)').fill('Toner getauscht');
    await desk.getByRole('button', { name: 'Lösen' }).click();
    await eventually(() => detail.locator('.detail-meta [data-status]').textContent()).toBe('Gelöst');
    await desk.locator('#status-filter').selectOption({ label: 'Alle' });
    await eventually(() => row.locator('[data-status]').textContent()).toBe('Gelöst');
    expect(await threadLines(desk).last().innerText()).toContain('Gelöst von Erika Mustermann');
    await eventually(() => chat.locator('#messages').textContent()).toContain('Toner getauscht');
    expect(await chat.locator('#messages').textContent()).not.toContain('Lager 3');
    expect(await rawCodesOn(desk)).toEqual([]);
    await expectAccessible(desk);

    // The console's other views pass the same checks.
    for (const tab of ['Unbeantwortet', 'Negatives Feedback', 'FAQ', 'Tickets']) {
      await desk.getByRole('tab', { name: tab }).click();
      await expect
        .poll(() => desk.getByRole('tab', { name: tab }).getAttribute('aria-selected'))
        .toBe('true');
      expect(await rawCodesOn(desk)).toEqual([]);
      await expectAccessible(desk);
    }

    // The same ticket in English: the configuration's English names, still no codes.
    await desk.getByRole('button', { name: 'English' }).click();
    await eventually(() => detail.locator('.detail-meta [data-status]').textContent()).toBe('Resolved');
    const english = await detail.innerText();
    for (const label of ['Workplace and devices', 'Web visitor', 'Summary', 'Urgency', 'Resolved by Erika']) {
      expect(english).toContain(label);
    }
    expect(english).not.toMatch(/\b(queued|claimed|workplace|can-wait)\b|web:/);
    await expectAccessible(desk);

    expect(deskErrors).toEqual([]);
    expect(chatErrors).toEqual([]);
    await Promise.all([customer.close(), agent.close()]);
  });
});
