import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../config/config.ts';
import type { Action } from '../../core/action.ts';
import type { ReplySink } from '../../core/delivery.ts';
import { ConfigError } from '../../core/errors.ts';
import { isLanguage, type Language } from '../../core/language.ts';
import type { Logger } from '../../core/logger.ts';
import type { MatchThresholds } from '../../core/match.ts';
import type { Reply } from '../../core/reply.ts';
import type { Turn } from '../../core/turn.ts';
import { createLogger } from '../../ops/logger.ts';
import type { VectorSettings } from '../../understanding/word-vectors.ts';
import { renderTerminalReplies } from './render-terminal-reply.ts';

/** What the chat needs of a bot: the composition root assembles it (src/local-bot.ts). */
export interface ChatBot {
  engine: { handle(turn: Turn): Promise<Reply[]> };
  delivery: { register(channel: 'cli', sink: ReplySink): void };
  close(): Promise<void>;
}

/** What a chat's bot is made of. */
export interface ChatBotOptions {
  knowledgeDir: string;
  intentsDir: string;
  /** Path of config/support.yaml. */
  supportConfig: string;
  /** Path of config/customers.yaml; without it everyone gets the general contract. */
  customersConfig?: string | undefined;
  thresholds: MatchThresholds;
  /** Embedded stores keep their journal here; in memory without it. */
  dataDir?: string | undefined;
  /** SENTENCE_ENCODER=on: English messages are also re-ranked by sentence meaning. */
  sentenceEncoder?: boolean | undefined;
  /** WORD_VECTORS and SENTENCE_VECTORS; the shipped files when unset. */
  vectors?: VectorSettings | undefined;
  log?: Logger | undefined;
}

export interface ChatIo {
  /** Assembles the bot the chat talks to (createLocalBot). */
  startBot: (options: ChatBotOptions) => Promise<ChatBot>;
  stdin: Readable;
  stdout: Writable;
  stderr?: Writable | undefined;
  /** The environment, as the CLI entry point read it; parsed once here. */
  env: Record<string, string | undefined>;
}

const HELP = `support-bot chat [options]

Talk to the bot in the terminal: one line in, replies out. Type the number shown next to a
button to click it. Empty line or Ctrl-D ends the chat.

Options:
  --json                 print one JSON reply per line (for scripts and tests)
  --data-dir <dir>       keep conversations and tickets in this directory (default: in memory)
  --lang <de|en>         language hint for short messages
  --conversation <id>    continue a conversation (with --data-dir)
  --user <name>          customer name shown to agents
  -h, --help             this text`;

/** `support-bot chat`: the same conversation as in Slack or the web chat, in a terminal. */
export async function runChat(args: string[], io: ChatIo): Promise<number> {
  const stderr = io.stderr ?? io.stdout;
  let parsed: ReturnType<typeof parseChatArgs>;
  try {
    parsed = parseChatArgs(args);
  } catch (error) {
    stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { json, lang } = parsed;

  let bot: ChatBot;
  try {
    const config = parseConfig(io.env);
    bot = await io.startBot({
      knowledgeDir: config.KNOWLEDGE_DIR,
      intentsDir: config.INTENTS_DIR,
      supportConfig: config.SUPPORT_CONFIG,
      customersConfig: config.CUSTOMERS_CONFIG,
      thresholds: { threshold: config.MATCH_THRESHOLD, margin: config.MATCH_MARGIN },
      dataDir: parsed.dataDir,
      sentenceEncoder: config.SENTENCE_ENCODER === 'on',
      vectors: {
        WORD_VECTORS: config.WORD_VECTORS,
        SENTENCE_VECTORS: config.SENTENCE_VECTORS,
        GERMAN_SYNONYMS: config.GERMAN_SYNONYMS,
      },
      // Logs go to stderr and only when they matter, so stdout stays the conversation.
      log: createLogger({ level: config.LOG_LEVEL === 'debug' ? 'debug' : 'warn' }),
    });
  } catch (error) {
    stderr.write(`Cannot start the chat: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }

  const conversationId = `cli:${parsed.conversation ?? randomUUID()}`;
  const customerName = parsed.user ?? safeUserName();
  const print = (replies: Reply[]): Action[] => {
    if (json) {
      for (const reply of replies) io.stdout.write(`${JSON.stringify(reply)}\n`);
      return replies.flatMap((r) => r.actions);
    }
    const rendered = renderTerminalReplies(replies);
    io.stdout.write(`${rendered.text}\n`);
    return rendered.actions;
  };

  let offered: Action[] = [];
  // Messages pushed later (an agent's reply while this chat runs in the same process).
  bot.delivery.register('cli', {
    deliver: async (ref, replies) => {
      if (ref.conversationId === conversationId) offered = print(replies);
    },
  });

  const interactive = (io.stdin as { isTTY?: boolean }).isTTY === true && !json;
  const lines = createInterface({ input: io.stdin, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  if (interactive) io.stdout.write('> ');
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === '' && interactive) break;
      if (line === '') continue;
      const pick = /^\d{1,3}$/.test(line) ? offered[Number(line) - 1] : undefined;
      const turn: Turn = {
        id: `${conversationId}:${randomUUID()}`,
        conversation: { channel: 'cli', conversationId, address: {} },
        customer: { id: `cli:${customerName}`, name: customerName },
        locale: lang,
        text: pick ? undefined : line,
        action: pick,
        receivedAt: Date.now(),
      };
      offered = print(await bot.engine.handle(turn));
      if (interactive) io.stdout.write('> ');
    }
  } finally {
    lines.close();
    await bot.close();
  }
  return 0;
}

function parseChatArgs(args: string[]): {
  help: boolean;
  json: boolean;
  dataDir?: string | undefined;
  lang?: Language | undefined;
  conversation?: string | undefined;
  user?: string | undefined;
} {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      lang: { type: 'string' },
      conversation: { type: 'string' },
      user: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.lang !== undefined && !isLanguage(values.lang))
    throw new ConfigError('invalid_argument', '--lang must be de or en');
  if (values.conversation !== undefined && !/^[A-Za-z0-9_-]{1,100}$/.test(values.conversation)) {
    throw new ConfigError(
      'invalid_argument',
      '--conversation must be 1-100 characters of A-Z, a-z, 0-9, "_" and "-"',
    );
  }
  return {
    help: values.help === true,
    json: values.json === true,
    dataDir: values['data-dir'],
    lang: values.lang as Language | undefined,
    conversation: values.conversation,
    user: values.user,
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers without a passwd entry: any stable name will do.
    return 'local';
  }
}
