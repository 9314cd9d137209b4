import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildIndex } from '../../../src/build-index-command.ts';
import { runCheck } from '../../../src/check-command.ts';
import { capturedOutput } from '../../support/captured-output.ts';
import { knowledgeWithOwnEntry } from '../../support/own-knowledge.ts';

/** `support-bot build-index` (npm's prepare step runs it) and `support-bot check`, in process. */
async function run(
  command: typeof runBuildIndex,
  env: Record<string, string | undefined>,
): Promise<{ code: number; out: string; err: string }> {
  const out = capturedOutput();
  const err = capturedOutput();
  const code = await command([], { stdout: out.stream, stderr: err.stream, env });
  return { code, out: out.text(), err: err.text() };
}

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;

describe('support-bot build-index', () => {
  it('trains the index into DATA_DIR once; after that it is up to date', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-build-index-'));
    const first = await run(runBuildIndex, { DATA_DIR: dataDir });
    expect(first).toMatchObject({ code: 0, err: '' });
    const built = /^index built: (\d+) phrasings, in .*index-cache\n/.exec(first.out);
    expect(Number(built?.[1])).toBeGreaterThan(1_000);
    expect(readdirSync(join(dataDir, 'index-cache'))).toHaveLength(1);
    // The default knowledge's English phrasings come with their sentence vectors.
    expect(first.out).toMatch(/\nsentence vectors: 0 phrasings embedded\n$/);
    const again = await run(runBuildIndex, { DATA_DIR: dataDir });
    expect(again.out).toMatch(new RegExp(`^index up to date: ${built?.[1]} phrasings`));
  });

  it("embeds a knowledge base's new English phrasings once, into DATA_DIR", async () => {
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-build-index-')),
      KNOWLEDGE_DIR: knowledgeWithOwnEntry(),
    };
    const first = await run(runBuildIndex, env);
    expect(first).toMatchObject({ code: 0, err: '' });
    // The new entry's title and two questions; the rest are shipped.
    expect(first.out).toMatch(/sentence vectors: 3 phrasings embedded/);
    expect(readdirSync(join(env.DATA_DIR, 'sentence-vectors'))).toHaveLength(1);
    const again = await run(runBuildIndex, env);
    expect(again.out).toMatch(/sentence vectors: 0 phrasings embedded/);
    // SENTENCE_ENCODER=off: the index alone.
    const off = await run(runBuildIndex, { ...env, SENTENCE_ENCODER: 'off' });
    expect(off.out).not.toMatch(/sentence vectors/);
  }, 60_000);

  it('lists every problem of broken files, as start-up and check do, and exits 1', async () => {
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-build-index-')),
      KNOWLEDGE_DIR: `${fixtures}knowledge-broken`,
      INTENTS_DIR: `${fixtures}intents-broken`,
    };
    const built = await run(runBuildIndex, env);
    const checked = await run(runCheck, env);
    expect(built.code).toBe(1);
    expect(checked.code).toBe(1);
    expect(built.err).toBe(checked.err);
    expect(built.err).toMatch(/knowledge-broken\/\S+\.md/);
    expect(built.err).toMatch(/intents-broken\/\S+\.ya?ml/);
    expect(readdirSync(env.DATA_DIR)).toEqual([]);
  });
});
