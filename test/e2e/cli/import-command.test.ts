import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, startBotProcess } from '../../support/bot-process.ts';
import { runCli } from '../../support/run-cli.ts';
import { WebChats } from '../../support/web-chats.ts';

const FIXTURE = new URL('../../fixtures/transfer/qnamaker-export.tsv', import.meta.url).pathname;
const SHIPPED = new URL('../../../knowledge', import.meta.url).pathname;

let work: string;
let knowledge: string;
let bot: BotProcess;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sb-import-'));
  knowledge = join(work, 'knowledge');
  await cp(SHIPPED, knowledge, { recursive: true });
  bot = await startBotProcess({ KNOWLEDGE_DIR: knowledge, ADMIN_TOKEN: 'import-test-token' }, 90_000);
}, 100_000);

afterAll(async () => {
  await bot?.stop();
  await rm(work, { recursive: true, force: true });
});

let chats: WebChats | undefined;
/** One customer asks again and again (one conversation, not a new one per question). */
async function ask(text: string): Promise<{ type: string; entryId?: string }[]> {
  chats ??= new WebChats(bot.url);
  const response = await chats.post('import', { text });
  return ((await response.json()) as { replies: { type: string; entryId?: string }[] }).replies;
}

describe('support-bot import', () => {
  it('refuses a broken file whole, naming file, row and field, and writes nothing', async () => {
    const broken = join(work, 'broken.csv');
    await writeFile(
      broken,
      'id,language,title,questions,answer\nvpn-slow,en,VPN slow,"Why is the VPN slow?",\nBad Id,en,Title,Question,Answer\n',
    );
    const run = await runCli(['import', broken], { env: { KNOWLEDGE_DIR: knowledge } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${broken}:2: answer:`);
    expect(run.stderr).toContain(`${broken}:3: id:`);
    expect(run.stderr).toContain('nothing was imported');
    expect(await readdir(join(knowledge, 'en'))).not.toContain('vpn-slow.md');
  });

  it('writes Markdown entries into KNOWLEDGE_DIR, and the running bot answers them without a restart', async () => {
    const question = 'Which printers can I use on the third floor?';
    const before = await ask(question);
    expect(before.find((r) => r.type === 'answer')?.entryId).not.toBe(
      'which-printers-can-i-use-on-the-third-floor',
    );

    const run = await runCli(['import', FIXTURE, '--language', 'en'], { env: { KNOWLEDGE_DIR: knowledge } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 entries (3 new, 0 replaced)');
    const file = await readFile(join(knowledge, 'en', 'how-do-i-reset-my-password.md'), 'utf8');
    expect(file).toMatch(
      /^---\nid: how-do-i-reset-my-password\ntitle: How do I reset my password\?\nlanguage: en\n/,
    );

    await expect
      .poll(async () => (await ask(question)).find((r) => r.type === 'answer')?.entryId, {
        // The bot process rebuilds its index; on a machine busy with other tests that takes a while.
        timeout: 90_000,
        interval: 2_500, // below the 30 messages a minute a conversation may send
      })
      .toBe('which-printers-can-i-use-on-the-third-floor');
  }, 120_000);

  it('exports what it imported in each format', async () => {
    const csv = await runCli(['export', '--format', 'csv'], { env: { KNOWLEDGE_DIR: knowledge } });
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe(
      'id,language,title,questions,answer,tags,queue,billable,related,updated',
    );
    expect(csv.stdout).toContain('which-printers-can-i-use-on-the-third-floor,en,');
    const tsv = await runCli(['export', '--format', 'qnamaker', '--out', join(work, 'out.tsv')], {
      env: { KNOWLEDGE_DIR: knowledge },
    });
    expect(tsv.code).toBe(0);
    expect((await readFile(join(work, 'out.tsv'), 'utf8')).split('\n')[0]).toBe(
      'Question\tAnswer\tSource\tMetadata\tSuggestedQuestions\tIsContextOnly\tPrompts\tQnaId',
    );
  });
});
