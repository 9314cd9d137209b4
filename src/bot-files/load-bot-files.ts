import type { Config } from '../config/config.ts';
import { ValidationFailedError, type ValidationProblem } from '../core/errors.ts';
import {
  type CustomersConfig,
  generalCustomersConfig,
  loadCustomersConfig,
} from '../handoff/customers-config.ts';
import { loadSupportConfig, type SupportConfig } from '../handoff/support-config.ts';
import type { IndexCache } from '../understanding/index-cache.ts';
import { Understanding } from '../understanding/understanding.ts';
import {
  loadUnderstandingSources,
  type UnderstandingSources,
} from '../understanding/understanding-sources.ts';
import { vectorOptions } from '../understanding/word-vectors.ts';

/**
 * The files a bot is made of: the FAQ, the intents, config/support.yaml and config/customers.yaml
 * (without CUSTOMERS_CONFIG everyone is served the general contract).
 */
export type BotFiles = Pick<Config, 'KNOWLEDGE_DIR' | 'INTENTS_DIR' | 'SUPPORT_CONFIG'> &
  Partial<Pick<Config, 'CUSTOMERS_CONFIG' | 'WORD_VECTORS' | 'SENTENCE_VECTORS' | 'GERMAN_SYNONYMS'>>;

/**
 * Loads knowledge, intents and the support config together so a broken start-up lists every
 * problem of every file at once, not just the first file's; then builds the matcher's index (or
 * restores it from `indexCache`).
 */
export async function loadEverything(
  files: BotFiles,
  options: { indexCache?: IndexCache | undefined } = {},
): Promise<{ understanding: Understanding; support: SupportConfig; customers: CustomersConfig }> {
  const { sources, support, customers } = await checkBotFiles(files);
  const ranker = vectorOptions(files);
  ranker.germanSynonyms?.preload();
  const understanding = await Understanding.build(sources, { cache: options.indexCache, ranker });
  return { understanding, support, customers };
}

/** The bot's files loaded and checked, every problem of every file listed at once; no index built. */
export async function checkBotFiles(
  files: BotFiles,
): Promise<{ sources: UnderstandingSources; support: SupportConfig; customers: CustomersConfig }> {
  const [sources, support] = await Promise.allSettled([
    loadUnderstandingSources({ knowledgeDir: files.KNOWLEDGE_DIR, intentsDir: files.INTENTS_DIR }),
    loadSupportConfig(files.SUPPORT_CONFIG),
  ]);
  // The customers' queues are checked against support.yaml's, when that one is readable.
  const customers = await settle(
    files.CUSTOMERS_CONFIG
      ? loadCustomersConfig(
          files.CUSTOMERS_CONFIG,
          support.status === 'fulfilled' ? support.value : undefined,
        )
      : Promise.resolve(generalCustomersConfig()),
  );
  const problems: ValidationProblem[] = [];
  for (const result of [sources, support, customers]) {
    if (result.status === 'fulfilled') continue;
    if (result.reason instanceof ValidationFailedError) problems.push(...result.reason.problems);
    else throw result.reason;
  }
  if (sources.status === 'fulfilled' && customers.status === 'fulfilled') {
    const source = files.CUSTOMERS_CONFIG ?? 'config/customers.yaml';
    problems.push(...unknownAnswerEntries(customers.value, sources.value, source));
  }
  if (
    problems.length > 0 ||
    sources.status === 'rejected' ||
    support.status === 'rejected' ||
    customers.status === 'rejected'
  ) {
    throw new ValidationFailedError('The bot cannot start', problems);
  }
  return { sources: sources.value, support: support.value, customers: customers.value };
}

/** customers.yaml's `answers` name FAQ entries: each must exist in the knowledge. */
function unknownAnswerEntries(
  customers: CustomersConfig,
  sources: UnderstandingSources,
  source: string,
): ValidationProblem[] {
  const ids = new Set(sources.entries.map((e) => e.id));
  return Object.entries(customers.answers).flatMap(([kind, entries]) =>
    entries.flatMap((id, index) =>
      ids.has(id) ? [] : [{ source, field: `answers.${kind}.${index}`, message: `no FAQ entry "${id}"` }],
    ),
  );
}

async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const [result] = await Promise.allSettled([promise]);
  // allSettled of one promise always yields one result.
  return result as PromiseSettledResult<T>;
}
