import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../../support/accessibility.ts';
import { launchChromium, pageErrors } from '../../support/chromium.ts';
import { WebChats } from '../../support/web-chats.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

let fx: WebFixture;
let browser: Browser;

beforeAll(async () => {
  [fx, browser] = await Promise.all([startWebFixture(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
});

describe('maintenance windows and incidents in the console', () => {
  it('an admin announces an incident, posts news and ends it; the form says what is wrong; accessible', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${fx.url}/admin`);
    await page.getByLabel('Admin-Token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('#app').waitFor();
    await page.getByRole('tab', { name: 'Störungen' }).click();
    await expect.poll(() => page.locator('#incident-rows').textContent()).toContain('Keine Wartungen');
    expect(await wcagViolations(page)).toEqual([]);

    // A maintenance window without an end: refused, the problem next to the end field.
    await page.getByLabel('Art', { exact: true }).selectOption('maintenance');
    await page.getByLabel('Dienst', { exact: true }).selectOption('mail');
    await page.getByLabel('Text für Kunden, deutsch').first().fill('Wartung des Mailservers.');
    await page.getByLabel('Text für Kunden, englisch').first().fill('Mail server maintenance.');
    await page.getByRole('button', { name: 'Melden', exact: true }).click();
    await expect.poll(() => page.locator('#incident-end').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#incident-end-error').textContent()).toContain('needs an end');

    await page.getByLabel('Art', { exact: true }).selectOption('incident');
    await page.getByLabel('Dienst', { exact: true }).selectOption('mail');
    await page.getByLabel('Text für Kunden, deutsch').first().fill('Der Mailserver ist gestört.');
    await page.getByLabel('Text für Kunden, englisch').first().fill('The mail server is down.');
    await page.getByRole('button', { name: 'Melden', exact: true }).click();
    const row = page.locator('#incident-rows tr[data-id^="INC-"]');
    await expect.poll(() => row.count()).toBe(1);
    const id = (await row.getAttribute('data-id')) ?? '';
    expect(await row.locator('td').allTextContents()).toEqual(
      expect.arrayContaining([id, 'Störung', 'E-Mail', 'läuft', '0', 'Der Mailserver ist gestört.']),
    );

    // A customer reports it meanwhile: the row counts the report.
    const chats = new WebChats(fx.url);
    await chats.post('pia', { text: 'Outlook geht nicht' });

    await page.getByLabel('Meldung', { exact: true }).selectOption(id);
    await page.getByLabel('Text für Kunden, deutsch').nth(1).fill('Ursache gefunden.');
    await page.getByLabel('Text für Kunden, englisch').nth(1).fill('Cause found.');
    await page.getByRole('button', { name: 'Neuigkeit senden' }).click();
    await expect.poll(() => row.locator('td').nth(7).textContent()).toBe('Ursache gefunden.');
    expect(await row.locator('td').nth(6).textContent()).toBe('1');
    expect(await wcagViolations(page)).toEqual([]);

    await page.getByRole('button', { name: `${id} beenden` }).click();
    await expect.poll(() => page.locator('#toast').textContent()).toContain(`${id} beendet; 1 Kunde(n)`);
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('beendet');
    type Pushed = { events: { reply: { text: string } }[] };
    await expect
      .poll(async () =>
        ((await (await chats.events('pia')).json()) as Pushed).events.some((e) =>
          e.reply.text.includes('Die Störung von E-Mail ist behoben'),
        ),
      )
      .toBe(true);
    // The one refused declaration (400) is the browser's only complaint.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    await context.close();
  });
});
