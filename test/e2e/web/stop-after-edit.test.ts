import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

let fx: WebFixture;

beforeAll(async () => {
  fx = await startWebFixture();
});

afterAll(async () => {
  await fx?.close();
});

/** Every file under `dir` with its size and modification time. */
async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    out.push(`${path} ${info.size} ${info.mtimeMs}`);
  }
  return out.sort();
}

describe('a stop right after an admin edit', () => {
  it('abandons the index trained afresh: nothing is written into DATA_DIR after the stop', async () => {
    const response = await fetch(`${fx.url}/api/admin/faq/canteen-hours/de`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Öffnungszeiten der Kantine',
        questions: [
          'Wann hat die Kantine offen?',
          'Öffnungszeiten Kantine',
          'Kantine am Wochenende geöffnet?',
        ],
        answer: 'Die Kantine ist Montag bis Freitag von 11:30 bis 14:00 Uhr geöffnet.',
        queue: 'general',
        reason: 'new entry',
      }),
    });
    expect(response.status).toBe(201);
    // The edit answers from the quick index; the one trained afresh is still being built.
    expect(fx.bot.understanding.match('Hat die Kantine am Wochenende offen?').candidates[0]?.id).toBe(
      'canteen-hours',
    );
    await fx.bot.stop();
    const atStop = await listing(fx.dataDir);
    // Before, the training went on after the stop and its index landed in the cache afterwards.
    await fx.bot.understanding.settled();
    expect(await listing(fx.dataDir)).toEqual(atStop);
  });
});
