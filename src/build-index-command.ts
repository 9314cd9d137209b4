import { attachSentenceEncoder } from './attach-sentence-encoder.ts';
import { loadEverything } from './bot-files/load-bot-files.ts';
import { type FilesCommandIo, runFilesCommand } from './check-command.ts';
import { terminalWarnings } from './understanding/ask-command.ts';
import { IndexCache, indexCacheDir } from './understanding/index-cache.ts';

/**
 * `support-bot build-index`: checks the files as start-up does and trains the matcher index into
 * DATA_DIR/index-cache, so the next start restores it instead of training, and embeds the English
 * phrasings whose sentence vectors are not kept yet (npm's prepare step runs it after
 * `npm install`; a deployment can run it when it builds its image).
 */
export async function runBuildIndex(args: string[], io: FilesCommandIo): Promise<number> {
  const usage =
    'usage: support-bot build-index\n  trains the matcher index into DATA_DIR/index-cache for the next start';
  return runFilesCommand(args, io, usage, async (config) => {
    const dir = indexCacheDir(config.DATA_DIR);
    const indexCache = new IndexCache({ dir, log: terminalWarnings(io.stderr) });
    const { understanding } = await loadEverything(config, { indexCache });
    const done = indexCache.restored > 0 ? 'index up to date' : 'index built';
    io.stdout.write(`${done}: ${understanding.phrasingCount} phrasings, in ${dir}\n`);
    if (config.SENTENCE_ENCODER === 'on') {
      // English phrasings that neither the shipped vectors nor DATA_DIR have are embedded now.
      const encoder = await attachSentenceEncoder(understanding, {
        dataDir: config.DATA_DIR,
        onlyIfNeeded: true,
      });
      await encoder.close();
      io.stdout.write(`sentence vectors: ${encoder.embedded} phrasings embedded\n`);
    }
    return 0;
  });
}
