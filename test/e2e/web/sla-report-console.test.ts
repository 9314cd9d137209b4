import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../../support/accessibility.ts';
import { launchChromium, pageErrors } from '../../support/chromium.ts';
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

describe('the monthly SLA report in the console', () => {
  it('shows a month per organisation and priority as a chart with its table and the block hours left, accessibly', {
    timeout: 120_000,
  }, async () => {
    // A ticket of this month, resolved by an agent, for the report to show.
    const ticketAt = Date.now();
    await fx.bot.stores.tickets.create({
      id: 'SUP-9001',
      queue: 'general',
      level: 2,
      priority: 'P2',
      status: 'resolved',
      closedReason: 'resolved',
      details: { summary: 'Drucker offline' },
      transcript: [],
      candidates: [],
      language: 'de',
      customer: { id: 'slack:T0MUSTER:U1' },
      conversation: { channel: 'web', conversationId: 'web:sla-console', address: {} },
      billable: true,
      organisation: 'muster-bau',
      timeEntries: [{ at: ticketAt, by: 'ole', minutes: 20 }],
      createdAt: ticketAt,
      updatedAt: ticketAt,
      reactionDueAt: ticketAt + 3_600_000,
      resolutionDueAt: ticketAt + 8 * 3_600_000,
      firstReactionAt: ticketAt + 60_000,
      resolvedAt: ticketAt + 120_000,
      events: [{ at: ticketAt, type: 'created' }],
    });
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${fx.url}/admin`);
    await page.getByLabel('Admin-Token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('#app').waitFor();
    await page.getByRole('tab', { name: 'Auswertung' }).click();
    const month = new Date(ticketAt).toISOString().slice(0, 7);
    await page.getByLabel('Monat').fill(month);
    await page.locator('#sla-form').getByRole('button', { name: 'Anzeigen' }).click();
    await expect
      .poll(() => page.locator('#chart-sla').getAttribute('aria-label'), { timeout: 20_000 })
      .toContain(`im ${month}`);
    const row = page.locator('#sla-table tr[data-organisation="muster-bau"][data-priority="P2"]');
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 5)).toEqual(['Muster Bau GmbH', 'P2', '1', '100 %', '100 %']);
    // 20 minutes: two started quarter hours.
    expect(cells[8]).toBe('2');
    expect(await page.locator('#sla-balances').textContent()).toContain(
      'Muster Bau GmbH: noch 19.5 von 20 Blockstunden.',
    );
    expect(await wcagViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
