import type { FaqEntry } from '../../src/core/faq-entry.ts';
import type { Language } from '../../src/core/language.ts';
import { type IntentDefinition, OUT_OF_SCOPE_INTENT } from '../../src/understanding/intent-definition.ts';
import { buildPhrasings } from '../../src/understanding/label-phrasings.ts';

/** What nlp.js makes of one message: its intent, or none below its own threshold. */
export interface BaselineAnswer {
  language: Language;
  /** The entry or intent id it answers with; undefined when it declines. */
  answer: string | undefined;
  /** Its best intent whether or not it answers (undefined when it knows none). */
  best: string | undefined;
  score: number;
}

export interface Baseline {
  name: string;
  phrasings: number;
  buildMs: number;
  /** The score it needs to answer (its own default). */
  threshold: number;
  ask(text: string): Promise<BaselineAnswer>;
}

/**
 * nlp.js (`@nlpjs/basic`, the common Node NLU library) trained on the same phrasings as the
 * matcher (titles, questions, intent examples; German and English), with its default settings and
 * threshold, as the baseline `npm run eval` reports beside the matcher. A development dependency:
 * undefined when it is not installed (a production install), so the evaluation runs without it.
 */
export async function trainNlpjsBaseline(
  entries: readonly FaqEntry[],
  intents: readonly IntentDefinition[],
): Promise<Baseline | undefined> {
  const modules = await loadNlpjs();
  if (!modules) return undefined;
  const started = performance.now();
  const container = await modules.basic.containerBootstrap();
  container.use(modules.basic.Nlp);
  container.use(modules.basic.LangEn);
  container.use(modules.de.LangDe);
  const nlp = container.get('nlp');
  nlp.settings.autoSave = false;
  nlp.settings.autoLoad = false;
  // Its training prints every epoch unless told not to.
  nlp.nluManager.settings.log = false;
  const phrasings = buildPhrasings(entries, intents);
  const languages = new Set(phrasings.map((p) => p.language ?? 'en'));
  for (const language of languages) nlp.addLanguage(language);
  for (const p of phrasings) {
    nlp.addDocument(p.language ?? 'en', p.text, p.label.replace(/^(faq|intent):/, ''));
  }
  await nlp.train();
  const buildMs = performance.now() - started;
  return {
    name: 'nlp.js',
    phrasings: phrasings.length,
    buildMs,
    threshold: nlp.settings.threshold,
    async ask(text) {
      const result = await nlp.process(text);
      const best = result.classifications?.[0]?.intent;
      const declined = result.intent === 'None' || result.intent === OUT_OF_SCOPE_INTENT;
      return {
        language: result.locale === 'de' ? 'de' : 'en',
        answer: declined ? undefined : result.intent,
        best: best === undefined || best === OUT_OF_SCOPE_INTENT ? undefined : best,
        score: declined ? 0 : result.score,
      };
    },
  };
}

async function loadNlpjs() {
  try {
    const [basic, de] = await Promise.all([import('@nlpjs/basic'), import('@nlpjs/lang-de')]);
    return { basic, de };
  } catch {
    return undefined;
  }
}
