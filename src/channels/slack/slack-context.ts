import type { App } from '@slack/bolt';
import type { AttachmentUrls } from '../../core/attachment.ts';
import type { Clock } from '../../core/clock.ts';
import type { ReplySink } from '../../core/delivery.ts';
import type { FaqEntry } from '../../core/faq-entry.ts';
import type { Language } from '../../core/language.ts';
import type { Logger } from '../../core/logger.ts';
import type { Stores } from '../../core/ports.ts';
import type { TurnHandler } from '../../core/turn-handler.ts';
import type { AgentDesk } from '../../handoff/agent-desk.ts';
import type { SupportConfig } from '../../handoff/support-config.ts';
import type { KnowledgeCuration } from '../../knowledge/knowledge-curation.ts';
import type { AgentChannels } from './agent-channels.ts';
import type { SlackFiles } from './slack-files.ts';
import type { SlackSender } from './slack-sender.ts';
import type { SlackUserDirectory } from './slack-user-directory.ts';

/** The agent desk actions the ticket card offers. */
export type TicketDesk = Pick<AgentDesk, 'get' | 'claim' | 'reply' | 'resolve' | 'giveBack' | 'escalate'>;

/** What /faq and the App Home read of the knowledge (the Understanding). */
export interface FaqLibrary {
  searchTitles(
    query: string,
    limit?: number,
  ): { id: string; title: string; language: Language; score: number }[];
  entry(id: string, language: Language): FaqEntry | undefined;
}

/** FAQ changes from Slack (/faq, "Add FAQ", "Save as FAQ"): the run-time knowledge curation. */
export type FaqCuration = Pick<KnowledgeCuration, 'check' | 'save' | 'suggestFromAgentReply'>;

/** Everything the handlers share; built once in startSlackChannel. */
export interface SlackContext {
  app: App;
  engine: TurnHandler;
  desk: TicketDesk;
  stores: Stores;
  faq: FaqLibrary;
  /** Absent: /faq can search but not change entries; suggestions go straight to the inbox. */
  curation?: FaqCuration | undefined;
  support: SupportConfig;
  sender: SlackSender;
  /** The outbox: a turn's answers (and everything else the customer sees) go through it. */
  replies: ReplySink;
  users: SlackUserDirectory;
  agentChannels: AgentChannels;
  adminUsers: ReadonlySet<string>;
  clock: Clock;
  log: Logger;
  /** Files customers share: kept with their ticket (absent: files are ignored). */
  files?: SlackFiles | undefined;
  /** Signed links to customers' files on the ticket card. */
  attachmentUrls?: AttachmentUrls | undefined;
  /** Set once auth.test answered (Bolt's authorize does it too; this is for our own filters). */
  botUserId?: string | undefined;
}

/** The queue's readable name in English (agent and admin views). */
export function queueName(support: SupportConfig, queueId: string): string {
  return support.queues.find((q) => q.id === queueId)?.name.en ?? queueId;
}
