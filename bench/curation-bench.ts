import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { groupInbox } from '../src/admin/inbox/group-inbox.ts';
import type { FaqEntry } from '../src/core/faq-entry.ts';
import type { UnansweredQuestion } from '../src/core/ports.ts';
import { KnowledgeCuration } from '../src/knowledge/knowledge-curation.ts';
import { readFaqImport } from '../src/knowledge/transfer/faq-transfer.ts';
import { createEmbeddedStores } from '../src/store/embedded/embedded-stores.ts';
import { Understanding } from '../src/understanding/understanding.ts';

/**
 * `npx tsx bench/curation-bench.ts`: importing 5,000 Q&A pairs (a QnA Maker TSV export) and
 * grouping 10,000 logged questions by meaning. Prints Markdown for BENCHMARKS.md.
 */
const root = new URL('../', import.meta.url).pathname;
const PAIRS = 5_000;
const QUESTIONS = 10_000;

const TOPICS = [
  'printer',
  'badge',
  'parking',
  'laptop',
  'monitor',
  'headset',
  'canteen',
  'vpn',
  'wifi',
  'mailbox',
  'phone',
  'desk',
  'locker',
  'travel',
  'expense',
  'training',
  'holiday',
  'payroll',
  'keyboard',
  'scanner',
];
const PLACES = [
  'Berlin',
  'Hamburg',
  'Munich',
  'Cologne',
  'Frankfurt',
  'Stuttgart',
  'Leipzig',
  'Dresden',
  'Bremen',
  'Hanover',
];
const ASKS = [
  'How do I request a new',
  'Who fixes the broken',
  'Where can I find the',
  'What is the policy for the',
  'Why does my',
];

/** A QnA Maker export of `pairs` question-answer pairs: one question per QnaId, distinct wordings. */
function qnaExport(pairs: number): string {
  const lines = ['Question\tAnswer\tSource\tMetadata\tSuggestedQuestions\tIsContextOnly\tPrompts\tQnaId'];
  for (let i = 0; i < pairs; i++) {
    const topic = TOPICS[i % TOPICS.length];
    const place = PLACES[Math.floor(i / TOPICS.length) % PLACES.length];
    const ask = ASKS[Math.floor(i / (TOPICS.length * PLACES.length)) % ASKS.length];
    const question = `${ask} ${topic} in ${place} (case ${i})?`;
    const answer = `For the ${topic} in ${place}, open the service portal.\\n\\n1. Choose *${topic}*.\\n2. Say case ${i}.`;
    lines.push(`${question}\t${answer}\tEditorial\tcategory:${topic}\t[]\tfalse\t[]\t${i + 1}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Logged questions the bot missed: the default FAQ's own phrasings (its 100 entries in German
 * and English, real rewordings of one request each), asked again and again up to 10,000, oldest
 * first in a shuffled order. How well the groups keep to one entry is measured as their purity.
 */
function missedQuestions(
  entries: readonly FaqEntry[],
  count: number,
): { questions: UnansweredQuestion[]; entryOf: string[] } {
  const phrasings = entries.flatMap((e) =>
    e.questions.map((text) => ({ text, language: e.language, key: `${e.language}/${e.id}` })),
  );
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const picked = Array.from(
    { length: count },
    () => phrasings[Math.floor(random() * phrasings.length)] as (typeof phrasings)[number],
  );
  return {
    questions: picked.map((p, i) => ({
      id: `UQ-${i + 1}`,
      at: i * 1000,
      text: p.text,
      language: p.language,
      conversationId: `c${i}`,
      status: 'open',
    })),
    entryOf: picked.map((p) => p.key),
  };
}

async function time<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const work = await mkdtemp(join(tmpdir(), 'sb-curation-bench-'));
try {
  const text = qnaExport(PAIRS);
  const file = join(work, 'kb.tsv');
  await writeFile(file, text);

  const read = await time(() =>
    readFaqImport(
      { format: 'qnamaker', file, text },
      { today: '2026-12-06', sourceOf: () => 'store', language: 'en' },
    ),
  );
  if (!read.value.ok) throw new Error(JSON.stringify(read.value.problems.slice(0, 3)));

  const cli = await time(() =>
    execFileSync(process.execPath, [join(root, 'bin/support-bot.js'), 'import', file], {
      env: { ...process.env, KNOWLEDGE_DIR: join(work, 'knowledge'), LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    }),
  );

  const understanding = await Understanding.load({
    knowledgeDir: join(root, 'knowledge'),
    intentsDir: join(root, 'intents'),
  });
  const stores = await createEmbeddedStores();
  const curation = new KnowledgeCuration({
    index: understanding,
    stores,
    shipped: understanding.knowledge.all(),
  });
  await curation.start();
  const upload = await time(() =>
    curation.importFaq({ format: 'qnamaker', file, text }, { language: 'en' }, { actor: 'bench' }),
  );
  const answered = understanding.match('How do I request a new printer in Berlin (case 0)?').candidates[0]
    ?.id;

  // A bot that knows none of these: the FAQ's phrasings are its missed questions.
  const shipped = understanding.knowledge.all().filter((e) => e.source !== 'store');
  const bare = await Understanding.load({
    knowledgeDir: join(root, 'test/fixtures/knowledge-valid'),
    intentsDir: join(root, 'intents'),
  });
  const { questions, entryOf } = missedQuestions(shipped, QUESTIONS);
  const grouped = await time(() => groupInbox(questions, (texts) => bare.similarityVectors(texts)));
  const index = new Map(questions.map((q, i) => [q.id, i]));
  // Purity: the share of questions whose group's most common entry is their own.
  let pure = 0;
  for (const group of grouped.value) {
    const counts = new Map<string, number>();
    for (const id of group.questionIds) {
      const key = entryOf[index.get(id) as number] as string;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    pure += Math.max(...counts.values());
  }
  const purity = Math.round((100 * pure) / questions.length);
  await stores.close();

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores, Node ${process.version}.`,
    '',
    '| what | size | time | bound |',
    '|---|---|---|---|',
    `| read and check a QnA Maker export (parse, schema, ids, links) | ${PAIRS.toLocaleString('en')} Q&A pairs, ${(text.length / 1e6).toFixed(1)} MB | ${s(read.ms)} | |`,
    `| \`support-bot import kb.tsv\` (whole command: start, read, check, write ${PAIRS.toLocaleString('en')} Markdown files) | ${PAIRS.toLocaleString('en')} pairs | ${s(cli.ms)} | ≤ 10 s |`,
    `| console upload into the versioned store, index rebuilt (then answered: \`${answered}\`) | ${PAIRS.toLocaleString('en')} pairs + 100 shipped | ${s(upload.ms)} | |`,
    `| group the inbox by meaning (vectors and grouping) | ${QUESTIONS.toLocaleString('en')} questions (rewordings of 100 requests: the default FAQ's phrasings) → ${grouped.value.length} groups, purity ${purity} % | ${s(grouped.ms)} | ≤ 5 s |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
