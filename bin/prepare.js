// npm's prepare step (it runs after `npm install`): bundles the CLI (compile-ahead.js) and trains
// the matcher index into DATA_DIR (./data unless set), so even the first `npm start` restores the
// index instead of training it. Never fails an install: whatever is not ready here is done at start.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledCli } from './compile-ahead.js';

try {
  await compiledCli();
} catch (error) {
  process.stderr.write(
    `support-bot: not compiled ahead (${error instanceof Error ? error.message : error})\n`,
  );
}
const cli = fileURLToPath(new URL('./support-bot.js', import.meta.url));
const built = spawnSync(process.execPath, [cli, 'build-index'], { stdio: 'inherit' });
if (built.status !== 0)
  process.stderr.write('support-bot: matcher index not built now; the first start builds it\n');
