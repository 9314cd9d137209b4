import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../../support/accessibility.ts';
import { launchChromium, pageErrors } from '../../support/chromium.ts';
import { WebChats } from '../../support/web-chats.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

/**
 * The "done when", in a browser: a curator signs in with a personal token, imports a QnA
 * Maker export, the web chat answers one of its questions; an inbox group is merged into an entry;
 * the threshold is moved with the curve in view; an agent account cannot open the FAQ editor.
 */

const FIXTURE = new URL('../../fixtures/transfer/qnamaker-export.tsv', import.meta.url).pathname;

let fx: WebFixture;
let browser: Browser;
const tokens: Record<string, string> = {};
const chats = new WebChats(() => fx.url);

async function addAccount(name: string, role: string): Promise<string> {
  const response = await fetch(`${fx.url}/api/admin/accounts`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, role }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function say(conversation: string, text: string): Promise<{ type: string; entryId?: string }[]> {
  const response = await chats.post(conversation, { text });
  return ((await response.json()) as { replies: { type: string; entryId?: string }[] }).replies;
}

beforeAll(async () => {
  [fx, browser] = await Promise.all([startWebFixture(), launchChromium()]);
  tokens.curator = await addAccount('Carla Kurator', 'curator');
  tokens.agent = await addAccount('Anton Agent', 'agent');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${fx.url}/admin`);
  await page.getByLabel('Admin-Token').fill(token);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.locator('#app').waitFor();
}

/** Waits for a value to turn up, patiently: an import rebuilds the index on a busy machine. */
function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 20_000 });
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await wcagViolations(page)).toEqual([]);
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await eventually(() => page.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true');
}

describe('curators and leads in the console', () => {
  it('imports a QnA Maker export, merges an inbox group, moves the threshold; an agent cannot edit the FAQ', {
    timeout: 180_000,
  }, async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await signIn(page, tokens.curator as string);
    await eventually(() => page.locator('#signed-in-as').textContent()).toContain('Carla Kurator (Kurator)');
    expect(await page.locator('#agent-name').isVisible()).toBe(false);
    expect(await page.getByRole('tab', { name: 'Tickets' }).isVisible()).toBe(false);
    await expectAccessible(page);

    // Import a QnA Maker export; the bot answers one of its questions at once.
    await openTab(page, 'Import/Export');
    await page.getByLabel('Datei (QnA-Maker-TSV, CSV, JSON oder Markdown-Dateien)').setInputFiles(FIXTURE);
    expect(await page.getByLabel('Format').inputValue()).toBe('qnamaker');
    await page.getByLabel('Sprache der Einträge ohne Angabe').selectOption('en');
    await page.getByRole('button', { name: 'Importieren' }).click();
    await eventually(() => page.locator('#import-result').textContent()).toContain('3 neu');
    await expectAccessible(page);
    const chat = await context.newPage();
    await chat.goto(`${fx.url}/`);
    await chat.getByLabel(/Ihre Nachricht|Your message/).fill('Which printers can I use on the third floor?');
    await chat.getByLabel(/Ihre Nachricht|Your message/).press('Enter');
    await eventually(() => chat.locator('article.answer').last().getAttribute('data-entry')).toBe(
      'which-printers-can-i-use-on-the-third-floor',
    );

    // Paraphrases the bot missed are one group; merged into an entry, the bot answers them.
    for (const text of ['Mein Headset knistert furchtbar', 'Headset knistert ständig'])
      await say(`hs-${text.length}`, text);
    await openTab(page, 'Unbeantwortet');
    const group = page.locator('.inbox-group', { hasText: 'Headset knistert ständig' });
    await eventually(() => group.locator('h3').textContent()).toContain('2 Mal');
    await expectAccessible(page);
    await group
      .getByLabel('Eintrag (ID), dem die Formulierungen hinzugefügt werden')
      .fill('teams-meeting-audio');
    await group.getByRole('button', { name: 'Zu Eintrag hinzufügen' }).click();
    await group.waitFor({ state: 'detached' });
    expect(
      (await say('hs-after', 'Headset knistert ständig')).find((r) => r.type === 'answer')?.entryId,
    ).toBe('teams-meeting-audio');

    // Try it: candidates, thresholds and why.
    await openTab(page, 'Ausprobieren');
    await page.getByLabel('Frage').fill('Ich habe mein Passwort vergessen');
    await page.getByRole('button', { name: 'Ausprobieren' }).last().click();
    await eventually(() => page.locator('#try-result [data-decision]').getAttribute('data-decision')).toBe(
      'answer',
    );
    expect(await page.locator('#try-result [data-candidate]').first().getAttribute('data-candidate')).toBe(
      'password-reset',
    );
    expect(await page.locator('#try-result [data-reason]').textContent()).toContain('Schwelle 0.45');
    expect(await page.locator('#try-result [data-ranked]').count()).toBe(0);
    await expectAccessible(page);
    // Courtesy around the question is set aside, and the console says how the message was read.
    await page.getByLabel('Frage').fill('Hallo zusammen, ich habe mein Passwort vergessen. Liebe Grüße, Jo');
    await page.getByRole('button', { name: 'Ausprobieren' }).last().click();
    await eventually(() => page.locator('#try-result [data-ranked]').textContent()).toContain(
      '„ich habe mein passwort vergessen“',
    );
    expect(await page.locator('#try-result [data-candidate]').first().getAttribute('data-candidate')).toBe(
      'password-reset',
    );
    await expectAccessible(page);

    // The curve, a preview of what a new threshold changes, and the new threshold in force.
    await openTab(page, 'Schwelle');
    await eventually(() => page.locator('#tuning-chart').getAttribute('aria-label')).toContain('Abdeckung');
    await page.getByText('Als Tabelle').first().click();
    expect(await page.locator('[data-part="curve"] tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('[data-part="curve"]').textContent()).toContain('0.45 (aktuell)');
    await page.getByRole('spinbutton', { name: 'Schwelle' }).fill('0.99');
    await page.getByRole('button', { name: 'Vorschau' }).click();
    await eventually(() => page.locator('#tuning-changes').textContent()).toMatch(/anders behandelt/);
    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await eventually(() => page.locator('[data-part="curve"]').textContent()).toContain('0.99 (aktuell)');
    expect(
      (await say('pw-strict', 'Ich habe mein Passwort vergessen')).some((r) => r.type === 'answer'),
    ).toBe(false);
    await page.getByRole('spinbutton', { name: 'Schwelle' }).fill('0.4');
    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await eventually(() => page.locator('[data-part="curve"]').textContent()).toContain('0.40 (aktuell)');
    await expectAccessible(page);

    // Figures per day as charts, with the numbers as a table.
    await openTab(page, 'Auswertung');
    await eventually(() => page.locator('#chart-volume').getAttribute('aria-label')).toContain('Gespräche');
    const today = new Date().toISOString().slice(0, 10);
    expect(await page.locator(`#analytics-table tr[data-day="${today}"]`).count()).toBe(1);
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();

    // An agent signs in: tickets yes, the FAQ editor no (neither the tab nor the API).
    const agentContext = await browser.newContext({ locale: 'de-DE' });
    const desk = await agentContext.newPage();
    await signIn(desk, tokens.agent as string);
    await eventually(() => desk.locator('#signed-in-as').textContent()).toContain('Anton Agent');
    expect(await desk.getByRole('tab', { name: 'Tickets' }).isVisible()).toBe(true);
    for (const tab of ['FAQ', 'Unbeantwortet', 'Import/Export', 'Schwelle']) {
      expect(await desk.getByRole('tab', { name: tab }).isVisible()).toBe(false);
    }
    const status = await desk.evaluate(async (token) => {
      const response = await fetch('/api/admin/faq/vpn-setup', {
        headers: { Authorization: `Bearer ${token}` },
      });
      return response.status;
    }, tokens.agent as string);
    expect(status).toBe(403);
    await expectAccessible(desk);
    await agentContext.close();
  });
});
