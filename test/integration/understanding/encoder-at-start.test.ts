import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachSentenceEncoderAtStart } from '../../../src/attach-sentence-encoder.ts';
import { type LogFields, type Logger, silentLogger } from '../../../src/core/logger.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { knowledgeWithOwnEntry } from '../../support/own-knowledge.ts';

/**
 * A start does not keep customers waiting for phrasings to be embedded: past its wait it answers
 * without sentence meaning and takes it up when they are (the real encoder, in its worker).
 */
const root = new URL('../../../', import.meta.url).pathname;

function recordingLog(): Logger & { lines: { message: string; fields?: LogFields | undefined }[] } {
  const lines: { message: string; fields?: LogFields | undefined }[] = [];
  const record = (message: string, fields?: LogFields) => lines.push({ message, fields });
  return { ...silentLogger, lines, info: record, warn: record, error: record };
}

describe('the sentence encoder at start', () => {
  it('past its wait, start goes on and the encoder joins when its phrasings are embedded', async () => {
    const understanding = await Understanding.load({
      knowledgeDir: knowledgeWithOwnEntry(),
      intentsDir: join(root, 'intents'),
    });
    const log = recordingLog();
    const attached = await attachSentenceEncoderAtStart(understanding, {
      dataDir: mkdtempSync(join(tmpdir(), 'sb-encoder-wait-')),
      log,
      waitMs: 0,
    });
    expect(log.lines.map((l) => l.message)).toStrictEqual([
      'sentence encoder still embedding phrasings: English close calls are answered without it until then',
    ]);
    // What /readyz says meanwhile: the bot answers, without sentence meaning for now.
    expect(attached.status()).toStrictEqual({ status: 'degraded', detail: 'embedding the phrasings' });
    const until = Date.now() + 60_000;
    while (!log.lines.some((l) => l.message === 'sentence encoder ready') && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.lines.at(-1)).toMatchObject({ message: 'sentence encoder ready', fields: { embedded: 3 } });
    expect(attached.status()).toStrictEqual({ status: 'ok' });
    await attached.close();
  }, 90_000);

  it('within its wait, start waits for it', async () => {
    const understanding = await Understanding.load({
      knowledgeDir: join(root, 'knowledge'),
      intentsDir: join(root, 'intents'),
    });
    const log = recordingLog();
    const attached = await attachSentenceEncoderAtStart(understanding, { log });
    expect(log.lines).toMatchObject([{ message: 'sentence encoder ready', fields: { embedded: 0 } }]);
    expect(attached.status()).toStrictEqual({ status: 'ok' });
    await attached.close();
  }, 60_000);
});
