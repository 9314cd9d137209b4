import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Stores } from '../../../src/core/ports.ts';
import { KnowledgeCuration } from '../../../src/knowledge/knowledge-curation.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import type { Understanding } from '../../../src/understanding/understanding.ts';
import { sampleTicket } from '../../support/store-samples.ts';
import {
  answeredId,
  answeredVersion,
  BADGE_DRAFT,
  defaultKnowledge,
  draftOf,
  freshUnderstanding,
  STAMP_QUESTION,
  shippedEntry,
} from './curation-fixture.ts';

const opened: Stores[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const stores of opened.splice(0)) await stores.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'curation-'));
  dirs.push(dir);
  return dir;
}

interface Setup {
  curation: KnowledgeCuration;
  understanding: Understanding;
  stores: Stores;
  clock: ManualClock;
}

async function setUp(dataDir?: string): Promise<Setup> {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 10, 0, 0));
  const stores = await createEmbeddedStores({ dataDir, clock });
  opened.push(stores);
  const understanding = await freshUnderstanding();
  const { entries } = await defaultKnowledge();
  const curation = new KnowledgeCuration({ index: understanding, stores, shipped: entries, clock });
  await curation.start();
  return { curation, understanding, stores, clock };
}

describe('KnowledgeCuration (embedded store, default knowledge)', () => {
  it('an added phrasing changes what the matcher answers, at once and without a restart', async () => {
    const { curation, understanding, stores } = await setUp();
    const { entries } = await defaultKnowledge();
    expect(answeredId(understanding, STAMP_QUESTION)).toBeUndefined();

    const hardware = shippedEntry(entries, 'hardware-request', 'de');
    const outcome = await curation.save(
      { ...draftOf(hardware), questions: [...hardware.questions, STAMP_QUESTION] },
      { actor: 'anna', reason: 'asked three times this week' },
    );

    expect(outcome).toMatchObject({ ok: true, created: false, changed: true, revision: { version: 1 } });
    expect(answeredId(understanding, STAMP_QUESTION)).toBe('hardware-request');
    expect(understanding.entry('hardware-request', 'de')?.updated).toBe('2026-03-02');
    expect(curation.version).toBe(1);
    const [audit] = await stores.audit.list();
    expect(audit).toMatchObject({
      actor: 'anna',
      action: 'faq.edit',
      target: 'de/hardware-request',
      detail: 'version 1; asked three times this week',
    });
  });

  it('a new entry is answered, and its export is a knowledge file that loads back to the same entry', async () => {
    const { curation, understanding } = await setUp();
    const question = 'The badge reader at reception rejects my card';
    expect(answeredId(understanding, question)).toBeUndefined();

    const saved = await curation.save(BADGE_DRAFT, { actor: 'anna' });
    expect(saved).toMatchObject({ ok: true, created: true });
    expect(answeredId(understanding, question)).toBe('badge-reader');

    const exported = curation.exportMarkdown('badge-reader', 'en');
    if (!exported.ok) throw new Error('export failed');
    expect(exported.path).toBe('knowledge/en/badge-reader.md');
    const dir = await tempDir();
    await mkdir(join(dir, 'en'));
    await writeFile(join(dir, 'en', 'badge-reader.md'), exported.text);
    const [loaded] = await loadKnowledge(dir);
    expect(loaded).toEqual({
      ...BADGE_DRAFT,
      billable: false,
      related: [],
      updated: '2026-03-02',
      source: join(dir, 'en', 'badge-reader.md'),
    });
  });

  it('a bad edit lists every problem and changes nothing: no version, no audit, no rebuild', async () => {
    const { curation, understanding, stores } = await setUp();
    const { entries } = await defaultKnowledge();
    const vpn = shippedEntry(entries, 'vpn-setup', 'de');
    const indexBefore = understanding.knowledge;

    const outcome = await curation.save(
      {
        ...draftOf(vpn),
        title: 'V',
        questions: [...vpn.questions, vpn.questions[0] ?? ''],
        related: ['vpn-connection-fails', 'no-such-entry'],
        queue: '',
        answer: '',
        owner: 'anna',
      },
      { actor: 'anna' },
    );

    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe('invalid_entry');
    expect(outcome.problems.map((p) => p.field).sort()).toEqual(
      ['answer', 'owner', 'queue', `questions[${vpn.questions.length}]`, 'related[1]', 'title'].sort(),
    );
    expect(understanding.knowledge).toBe(indexBefore);
    expect(understanding.entry('vpn-setup', 'de')?.title).toBe(vpn.title);
    expect(curation.version).toBe(0);
    expect(await stores.knowledge.history('vpn-setup', 'de')).toEqual([]);
    expect(await stores.audit.list()).toEqual([]);
  });

  it('history keeps every version, newest first; saving the same text again makes no version', async () => {
    const { curation, clock } = await setUp();
    await curation.save(BADGE_DRAFT, { actor: 'anna' });
    clock.advance(60_000);
    await curation.save({ ...BADGE_DRAFT, title: 'Badge reader does not open the door' }, { actor: 'ben' });
    const again = await curation.save(
      { ...BADGE_DRAFT, title: 'Badge reader does not open the door' },
      { actor: 'ben' },
    );

    expect(again).toMatchObject({ ok: true, changed: false });
    const history = await curation.history('badge-reader', 'en');
    expect(history.map((r) => [r.version, r.actor, r.entry?.title])).toEqual([
      [2, 'ben', 'Badge reader does not open the door'],
      [1, 'anna', BADGE_DRAFT.title],
    ]);
    expect((history[0]?.at ?? 0) - (history[1]?.at ?? 0)).toBe(60_000);
    const view = await curation.get('badge-reader');
    expect(view?.languages.en).toMatchObject({
      origin: 'store',
      entry: { title: 'Badge reader does not open the door' },
    });
    expect(view?.languages.de).toBeUndefined();
  });

  it('retiring removes a shipped entry from matching; an entry other entries link to is refused', async () => {
    const { curation, understanding } = await setUp();
    expect(answeredId(understanding, 'Im Teams-Meeting hört mich niemand')).toBe('teams-meeting-audio');

    const linked = await curation.retire('vpn-setup', 'de', { actor: 'anna' });
    // The English version still stands, so a German-only retirement leaves every link valid.
    expect(linked.ok).toBe(true);
    const refused = await curation.retire('vpn-setup', 'en', { actor: 'anna' });
    expect(refused).toMatchObject({ ok: false, code: 'entry_referenced' });
    expect(refused.ok ? [] : refused.problems.map((p) => p.message.split(' ')[0])).toEqual([
      'de/vpn-connection-fails',
      'en/vpn-connection-fails',
    ]);

    const retired = await curation.retire('teams-meeting-audio', 'de', {
      actor: 'anna',
      reason: 'new headset guide',
    });
    expect(retired.ok).toBe(true);
    expect(answeredVersion(understanding, 'Im Teams-Meeting hört mich niemand', 'de')).not.toBe(
      'de/teams-meeting-audio',
    );
    expect(understanding.knowledge.get('teams-meeting-audio', 'de')?.language).toBe('en');
    const view = await curation.get('teams-meeting-audio');
    expect(view?.languages.de?.origin).toBe('retired');
    expect(view?.languages.de?.shipped?.title).toBeDefined();
    expect(await curation.retire('teams-meeting-audio', 'de', { actor: 'anna' })).toMatchObject({
      ok: false,
      code: 'entry_not_found',
    });
  });

  it('a restart on the same data directory keeps edits, retirements and history', async () => {
    const dataDir = await tempDir();
    const first = await setUp(dataDir);
    await first.curation.save(BADGE_DRAFT, { actor: 'anna' });
    await first.curation.retire('teams-meeting-audio', 'en', { actor: 'anna' });
    first.curation.stop();
    await first.stores.close();
    opened.splice(opened.indexOf(first.stores), 1);

    const second = await setUp(dataDir);
    expect(second.curation.version).toBe(2);
    expect(answeredId(second.understanding, 'The badge reader at reception rejects my card')).toBe(
      'badge-reader',
    );
    expect(answeredVersion(second.understanding, 'Nobody can hear me in Teams meetings', 'en')).not.toBe(
      'en/teams-meeting-audio',
    );
    expect((await second.curation.history('badge-reader', 'en')).map((r) => r.actor)).toEqual(['anna']);
  });

  it('a change written to the store by another writer reaches the index through the change notification', async () => {
    const { understanding, stores, curation } = await setUp();
    const { entries } = await defaultKnowledge();
    const hardware = shippedEntry(entries, 'hardware-request', 'de');
    await stores.knowledge.save(
      { ...hardware, questions: [...hardware.questions, STAMP_QUESTION], source: 'store' },
      'sync',
    );
    // Generous: rebuilding the index takes a while on a busy machine.
    await vi.waitFor(() => expect(answeredId(understanding, STAMP_QUESTION)).toBe('hardware-request'), {
      timeout: 10_000,
    });
    expect(curation.version).toBe(1);
  });
});

describe('learning from what the bot could not answer', () => {
  it('"Save as FAQ" files the ticket question with the agent answer, once', async () => {
    const { curation, stores, clock } = await setUp();
    const ticket = sampleTicket('SUP-1001', clock.now(), {
      details: { summary: STAMP_QUESTION, impact: 'me', urgency: 'hinders', contact: 'x' },
    });
    await stores.tickets.create(ticket);
    const reply = 'Der Chip ist abgelaufen; am Empfang bekommen Sie sofort einen neuen.';

    const filed = await curation.suggestFromAgentReply({ ticketId: 'SUP-1001', text: reply, agent: 'kim' });
    const twice = await curation.suggestFromAgentReply({ ticketId: 'SUP-1001', text: reply, agent: 'kim' });

    expect(filed).toMatchObject({
      ok: true,
      question: {
        text: STAMP_QUESTION,
        language: 'de',
        status: 'open',
        conversationId: ticket.conversation.conversationId,
        proposedAnswer: { text: reply, by: 'kim', ticketId: 'SUP-1001' },
      },
    });
    expect(twice.ok && filed.ok && twice.question.id === filed.question.id).toBe(true);
    expect(await stores.unanswered.list('open')).toHaveLength(1);
    expect(
      await curation.suggestFromAgentReply({ ticketId: 'SUP-9999', text: reply, agent: 'kim' }),
    ).toMatchObject({
      ok: false,
      code: 'ticket_not_found',
    });
    expect(
      await curation.suggestFromAgentReply({ ticketId: 'SUP-1001', text: 'ok', agent: 'kim' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_suggestion',
    });
  });

  it('answering an unanswered question with an entry teaches the entry that phrasing', async () => {
    const { curation, understanding, stores, clock } = await setUp();
    const question = await stores.unanswered.add({
      at: clock.now(),
      text: STAMP_QUESTION,
      language: 'de',
      conversationId: 'web:1',
    });
    expect(answeredId(understanding, STAMP_QUESTION)).toBeUndefined();

    const answered = await curation.answerUnanswered(question.id, 'hardware-request', { actor: 'anna' });

    expect(answered).toMatchObject({ ok: true, added: true, question: { status: 'answered' } });
    expect(answeredId(understanding, STAMP_QUESTION)).toBe('hardware-request');
    expect(understanding.entry('hardware-request', 'de')?.questions.at(-1)).toBe(STAMP_QUESTION);
    expect((await stores.unanswered.list('answered')).map((q) => q.id)).toEqual([question.id]);
    expect((await stores.audit.list()).map((a) => a.action)).toEqual(['unanswered.answered', 'faq.edit']);

    const again = await curation.answerUnanswered(question.id, 'hardware-request', { actor: 'anna' });
    expect(again).toMatchObject({ ok: true, added: false });
    expect(curation.version).toBe(1);
    expect(await curation.answerUnanswered('UQ-404', 'hardware-request', { actor: 'anna' })).toMatchObject({
      ok: false,
      code: 'question_not_found',
    });
  });

  it("an entry without a version in the question's language is refused with a hint", async () => {
    const { curation, stores, clock } = await setUp();
    await curation.save(BADGE_DRAFT, { actor: 'anna' });
    const question = await stores.unanswered.add({
      at: clock.now(),
      text: 'Der Ausweisleser piept nur',
      language: 'de',
      conversationId: 'web:2',
    });
    const outcome = await curation.answerUnanswered(question.id, 'badge-reader', { actor: 'anna' });
    expect(outcome).toMatchObject({ ok: false, code: 'entry_not_found' });
    expect(outcome.ok ? '' : outcome.problems[0]?.message).toContain('add the de version first');
    expect((await stores.unanswered.list('open')).map((q) => q.id)).toEqual([question.id]);
  });
});
