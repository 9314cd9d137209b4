import { loadEverything } from '../bot-files/load-bot-files.ts';
import { type Config, ConfigSchema, parseConfig } from '../config/config.ts';
import { ValidationFailedError } from '../core/errors.ts';
import { type Finding, finding } from './finding.ts';
import { checkPublicUrl } from './public-url-check.ts';
import { checkSlack } from './slack-check.ts';
import { checkStore } from './store-check.ts';
import { checkTeams } from './teams-check.ts';

function problemsOf(error: unknown, part: string): Finding[] {
  if (!(error instanceof ValidationFailedError)) throw error;
  return error.problems.map((p) =>
    finding(part, 'problem', `${p.source}${p.field ? ` ${p.field}` : ''}: ${p.message}`),
  );
}

async function checkKnowledge(config: Config): Promise<Finding[]> {
  try {
    const { understanding, support } = await loadEverything(config);
    const ids = new Set(understanding.knowledge.all().map((e) => e.id));
    return [
      finding(
        'knowledge',
        'ok',
        `${ids.size} FAQ entries, ${understanding.intents.length} intents, ${support.queues.length} queues`,
      ),
    ];
  } catch (error) {
    return problemsOf(error, 'knowledge');
  }
}

/**
 * The pre-flight check of a deployment: each part says ok or exactly what is wrong. The network
 * checks run side by side, each bounded by `timeoutMs`, so an offline machine gets its answer in
 * about that time.
 */
export async function runDoctor(
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<Finding[]> {
  let config: Config;
  try {
    config = parseConfig(env);
  } catch (error) {
    return problemsOf(error, 'configuration');
  }
  const parts = await Promise.all([
    checkKnowledge(config),
    checkStore(config, timeoutMs),
    checkSlack(config, timeoutMs),
    Promise.resolve(checkTeams(config)),
    checkPublicUrl(config, timeoutMs).then((f) => [f]),
  ]);
  const settings = Object.keys(ConfigSchema.shape).filter((name) => env[name]).length;
  return [
    finding('configuration', 'ok', `valid (${settings} settings given, the rest default)`),
    ...parts.flat(),
  ];
}
