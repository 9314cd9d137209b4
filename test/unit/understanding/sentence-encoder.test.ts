import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleEngine } from '../../../src/assemble-engine.ts';
import type { FaqEntry } from '../../../src/core/faq-entry.ts';
import { loadSupportConfig } from '../../../src/handoff/support-config.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import type { IntentDefinition } from '../../../src/understanding/intent-definition.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';
import {
  loadSentenceEncoder,
  loadSentenceEncoderWorker,
  type SentenceEncoder,
} from '../../../src/understanding/sentence-encoder.ts';
import { SENTENCE_SETTINGS, SentenceIndex } from '../../../src/understanding/sentence-index.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { parseLabelledCsv } from '../../../tools/eval/parse-csv.ts';

const root = new URL('../../../', import.meta.url).pathname;

// The real Universal Sentence Encoder lite, from its npm package (no download).
let encoder: SentenceEncoder;
let entries: FaqEntry[];
let intents: IntentDefinition[];
let questions: { text: string; label: string }[];

beforeAll(async () => {
  encoder = await loadSentenceEncoder();
  entries = await loadKnowledge(`${root}knowledge`);
  intents = await loadIntents(`${root}intents`);
  questions = parseLabelledCsv(await readFile(`${root}test/fixtures/questions.csv`, 'utf8'));
}, 240_000);

describe('sentence encoder', () => {
  it('puts paraphrases without shared words close together, unrelated sentences apart', async () => {
    const [a, b, c] = await encoder.embed([
      'I forgot my password',
      'cannot remember my login credentials',
      'the printer on the second floor is out of paper',
    ]);
    const cos = (x?: Float32Array, y?: Float32Array): number => {
      let sum = 0;
      for (let k = 0; k < (x?.length ?? 0); k++) sum += (x?.[k] ?? 0) * (y?.[k] ?? 0);
      return sum;
    };
    expect(a).toHaveLength(512);
    expect(cos(a, a)).toBeCloseTo(1, 4);
    expect(cos(a, b)).toBeGreaterThan(cos(a, c) + 0.2);
  });

  it('indexes phrasings: a phrasing is nearest to its own label, and the classifier picks that label', async () => {
    const phrasings = [
      { label: 'password', text: 'I forgot my password' },
      { label: 'password', text: 'how do I reset my password' },
      { label: 'printer', text: 'the printer does not print' },
      { label: 'printer', text: 'printer is jammed' },
      { label: 'vpn', text: 'VPN does not connect from home' },
      { label: 'vpn', text: 'remote access to the company network fails' },
    ];
    const index = await SentenceIndex.build(encoder, phrasings);
    if (!index) throw new Error('no index');
    const [query] = await encoder.embed(['cannot remember my login credentials']);
    if (!query) throw new Error('no vector');
    const labels = ['password', 'printer', 'vpn'];
    const nearest = labels.map((l) => index.nearest(query, l));
    const classified = labels.map((l) => index.classify(query, l));
    expect(nearest.indexOf(Math.max(...nearest))).toBe(0);
    expect(classified.indexOf(Math.max(...classified))).toBe(0);
    expect(index.has('password')).toBe(true);
    expect(index.nearest(query, 'unknown')).toBe(0);
  });

  it('re-ranks and re-scores English close calls only, keeps clear leads and German questions as match() gives them', async () => {
    const understanding = Understanding.fromData(entries, intents);
    await understanding.useSentenceEncoder(encoder);
    let reordered = 0;
    let rescored = 0;
    let rightBefore = 0;
    let rightAfter = 0;
    let closeCalls = 0;
    for (const { text, label } of questions) {
      const plain = understanding.match(text);
      const before = understanding.sentenceStats.embedded;
      const deep = await understanding.matchAsync(text);
      const embedded = understanding.sentenceStats.embedded > before;
      expect(deep.language).toBe(plain.language);
      const scores = deep.candidates.map((c) => c.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
      const [first, second] = plain.candidates;
      const close =
        plain.language === 'en' &&
        !plain.broad &&
        first !== undefined &&
        second !== undefined &&
        first.score - second.score < SENTENCE_SETTINGS.closeCall;
      expect(embedded, text).toBe(close);
      if (!close) {
        // A clear lead (or German) is not embedded: the answer is match()'s, to the last bit but
        // for the word similarities the meaning index keeps in 32 bits.
        expect(deep.candidates.map((c) => c.id)).toEqual(plain.candidates.map((c) => c.id));
        expect(deep.candidates[0]?.score ?? 0).toBeCloseTo(plain.candidates[0]?.score ?? 0, 8);
        continue;
      }
      closeCalls++;
      if (deep.candidates[0]?.id !== plain.candidates[0]?.id) reordered++;
      if (Math.abs((deep.candidates[0]?.score ?? 0) - (plain.candidates[0]?.score ?? 0)) > 1e-6) rescored++;
      if (plain.candidates[0]?.id === label) rightBefore++;
      if (deep.candidates[0]?.id === label) rightAfter++;
    }
    // Close calls exist and are the minority; the encoder changes their answers and confidences
    // (otherwise it would be dead weight), and not for the worse on this set.
    expect(closeCalls).toBeGreaterThan(0);
    expect(closeCalls).toBeLessThan(questions.length / 2);
    expect(reordered).toBeGreaterThan(0);
    expect(rescored).toBeGreaterThan(reordered);
    expect(rightAfter).toBeGreaterThanOrEqual(rightBefore);
  }, 240_000);

  it('gives each text its own vector when a call mixes lengths (texts are embedded shortest first)', async () => {
    const texts = [
      'my card payment was declined twice at the supermarket and I do not know why',
      'VPN',
      'how do I reset my password',
      'printer jammed',
    ];
    // A second encoder: the first one's cache would hand back what the call being checked stored.
    const fresh = await loadSentenceEncoder();
    const together = await fresh.embed(texts);
    const alone = await Promise.all(texts.map(async (text) => (await encoder.embed([text]))[0]));
    together.forEach((vector, i) => {
      for (let d = 0; d < 512; d += 17) expect(vector[d]).toBeCloseTo(alone[i]?.[d] ?? Number.NaN, 4);
    });
  });

  it('embeds phrasings in a worker thread as in this one, and falls back to this one when the worker is gone', async () => {
    const texts = ['I forgot my password', 'printer is jammed', '   ', 'VPN does not connect from home'];
    const worker = loadSentenceEncoderWorker(encoder);
    expect(worker.batch).toBeGreaterThan(8);
    const [inWorker, here] = [await worker.embed(texts), await encoder.embed(texts)];
    expect(inWorker).toHaveLength(texts.length);
    inWorker.forEach((vector, i) => {
      expect(vector).toHaveLength(512);
      for (let d = 0; d < 512; d += 37) expect(vector[d]).toBeCloseTo(here[i]?.[d] ?? Number.NaN, 5);
    });
    await worker.close();
    const after = await worker.embed(texts.slice(0, 1));
    expect(after[0]?.[5]).toBeCloseTo(here[0]?.[5] ?? Number.NaN, 5);
  }, 120_000);

  it('loads the model in this thread only when the worker is gone, once', async () => {
    let loads = 0;
    const worker = loadSentenceEncoderWorker(
      async () => {
        loads++;
        return encoder;
      },
      { startNow: true },
    );
    expect(worker.dimensions).toBe(512);
    const [inWorker] = await worker.embed(['I forgot my password']);
    expect(loads).toBe(0);
    await worker.close();
    const [here] = await worker.embed(['I forgot my password']);
    await worker.embed(['printer is jammed']);
    expect(loads).toBe(1);
    expect(here?.[9]).toBeCloseTo(inWorker?.[9] ?? Number.NaN, 5);
  }, 120_000);

  it('answers as without it when the encoder fails on a message', async () => {
    const understanding = Understanding.fromData(entries, intents);
    let failing = false;
    await understanding.useSentenceEncoder({
      dimensions: encoder.dimensions,
      embed: (texts) => (failing ? Promise.reject(new Error('model gone')) : encoder.embed(texts)),
    });
    failing = true;
    // A close call, which is embedded while the encoder works.
    const question = 'what are your support hours';
    const plain = understanding.match(question);
    expect(understanding.isCloseCall(plain)).toBe(true);
    expect(await understanding.matchAsync(question)).toStrictEqual(plain);
  });

  it('after a change, answers from an index trained on from the last one, then from one trained afresh', async () => {
    const before = [
      { label: 'password', text: 'I forgot my password' },
      { label: 'printer', text: 'the printer does not print' },
      { label: 'vpn', text: 'VPN does not connect from home' },
    ];
    const after = [...before, { label: 'mail', text: 'my mailbox is full and mail bounces' }];
    const [query] = await encoder.embed(['my mailbox is full and mail bounces']);
    if (!query) throw new Error('no vector');
    const fresh = await SentenceIndex.build(encoder, after);
    const old = await SentenceIndex.build(encoder, before);
    if (!fresh || !old) throw new Error('no index');
    const quick: SentenceIndex[] = [];
    const settled = await SentenceIndex.build(encoder, after, {
      warmFrom: old,
      onQuick: (i) => quick.push(i),
    });
    expect(quick).toHaveLength(1);
    const score = (index: SentenceIndex) =>
      ['password', 'printer', 'vpn', 'mail'].map((l) => index.classify(query, l));
    // The quick index knows the new label already, and differs from a fresh training ...
    const quickScores = score(quick[0] as SentenceIndex);
    expect(quickScores.indexOf(Math.max(...quickScores))).toBe(3);
    expect(quickScores).not.toEqual(score(fresh));
    // ... which is what replaces it: the same as an index built afresh.
    expect(settled && score(settled)).toEqual(score(fresh));
  });

  it('embeds the new phrasings after a knowledge change', async () => {
    const understanding = Understanding.fromData(entries, intents);
    await understanding.useSentenceEncoder(encoder);
    const question = 'my vpn keeps dropping when I work from home';
    expect((await understanding.matchAsync(question)).candidates.some((c) => c.id === 'vpn-setup')).toBe(
      true,
    );
    expect(await understanding.replaceEntriesAsync(entries.filter((e) => e.id !== 'vpn-setup'))).toBe(
      'replaced',
    );
    // Attaching again waits for a fresh sentence index of the current knowledge.
    await understanding.useSentenceEncoder(encoder);
    const after = await understanding.matchAsync(question);
    expect(after.candidates.some((c) => c.id === 'vpn-setup')).toBe(false);
    expect(after.candidates.length).toBeGreaterThan(0);
  });

  it('is what the engine asks when attached: an English question gets its answer through matchAsync', async () => {
    const understanding = Understanding.fromData(entries, intents);
    await understanding.useSentenceEncoder(encoder);
    const stores = await createEmbeddedStores();
    const engine = assembleEngine({
      matcher: understanding,
      knowledge: understanding,
      stores,
      support: await loadSupportConfig(`${root}config/support.yaml`),
      thresholds: { threshold: 0.4, margin: 0.35 },
    }).engine;
    const replies = await engine.handle({
      id: 't1',
      conversation: { channel: 'web', conversationId: 'web:encoder', address: {} },
      customer: { id: 'c1' },
      text: 'How do I set up the VPN on my new laptop?',
      receivedAt: Date.now(),
    });
    expect(replies[0]?.type).toBe('answer');
    expect(replies[0]?.text).toMatch(/VPN/);
    await stores.close();
  });
});
