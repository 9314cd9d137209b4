import { Readable } from 'node:stream';
import type { TurnContext } from 'botbuilder';
import {
  type Attachment,
  type AttachmentRefusal,
  type AttachmentSaver,
  type KeptFiles,
  MAX_FILES_PER_MESSAGE,
} from '../../core/attachment.ts';
import { errorCode, type Logger } from '../../core/logger.ts';
import type { InboundActivity } from './teams-activity.ts';

/** A file a Teams message carries, and where its bytes are. */
export type TeamsFile =
  | { name: string; kind: 'inline'; attachmentId: string; viewId: string }
  | { name: string; kind: 'download'; url: string };

/** The content of a file sent in a personal chat (`application/vnd.microsoft.teams.file.download.info`). */
interface DownloadInfo {
  downloadUrl?: unknown;
}

const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
/** An inline picture's bytes sit with the Bot Connector: `…/v3/attachments/{id}/views/{view}`. */
const CONNECTOR_ATTACHMENT = /\/v3\/attachments\/([^/]+)\/views\/([^/?]+)$/;

/**
 * The files of a message: pictures pasted into the chat (kept by the Bot Connector, fetched
 * through it with the bot's credentials) and files sent with the paper clip (a pre-signed
 * download link Teams gives the bot). The card Teams adds with the message's own text is no file.
 */
export function filesOf(activity: InboundActivity): TeamsFile[] {
  const files: TeamsFile[] = [];
  for (const attachment of activity.attachments ?? []) {
    const name = attachment.name ?? 'file';
    if (attachment.contentType === FILE_DOWNLOAD_INFO) {
      const url = (attachment.content as DownloadInfo | undefined)?.downloadUrl;
      if (typeof url === 'string') files.push({ name, kind: 'download', url });
      continue;
    }
    if (!attachment.contentType.startsWith('image/') || !attachment.contentUrl) continue;
    const match = CONNECTOR_ATTACHMENT.exec(attachment.contentUrl);
    // Only from the conversation's own connector: the bot's credentials go nowhere else.
    if (!match || !sameOrigin(attachment.contentUrl, activity.serviceUrl)) continue;
    files.push({
      name: attachment.name ?? `bild.${attachment.contentType.slice('image/'.length)}`,
      kind: 'inline',
      attachmentId: decodeURIComponent(match[1] as string),
      viewId: decodeURIComponent(match[2] as string),
    });
  }
  return files.slice(0, MAX_FILES_PER_MESSAGE);
}

function sameOrigin(url: string, other: string): boolean {
  try {
    return new URL(url).origin === new URL(other).origin;
  } catch {
    return false;
  }
}

/** The connector client botbuilder made for this turn (its credentials sign every call). */
interface TurnConnector {
  attachments: {
    getAttachment(
      attachmentId: string,
      viewId: string,
    ): Promise<{ readableStreamBody?: NodeJS.ReadableStream }>;
  };
}

/**
 * Files customers send in Teams, kept with their ticket. Download links are followed only to
 * SharePoint or OneDrive (where Teams keeps a chat's files) or the conversation's own connector;
 * every file is counted again as it streams in, and its type read from its first bytes.
 */
export class TeamsFiles {
  constructor(
    private readonly saver: AttachmentSaver,
    private readonly log: Logger,
  ) {}

  get maxBytes(): number {
    return this.saver.limits.maxBytes;
  }

  async keep(context: TurnContext, activity: InboundActivity, files: TeamsFile[]): Promise<KeptFiles> {
    const result: KeptFiles = { kept: [], refused: [] };
    for (const file of files) {
      const outcome = await this.keepOne(context, activity, file);
      if ('attachment' in outcome) result.kept.push(outcome.attachment);
      else result.refused.push(outcome);
    }
    return result;
  }

  private async keepOne(
    context: TurnContext,
    activity: InboundActivity,
    file: TeamsFile,
  ): Promise<{ attachment: Attachment } | { name: string; reason: AttachmentRefusal }> {
    try {
      const body = await this.open(context, activity, file);
      if (!body) return { name: file.name, reason: 'unavailable' };
      const saved = await this.saver.save(body, file.name);
      return saved.ok ? { attachment: saved.attachment } : { name: file.name, reason: saved.reason };
    } catch (error) {
      this.log.warn('teams file not kept', { code: errorCode(error), kind: file.kind });
      return { name: file.name, reason: 'unavailable' };
    }
  }

  private async open(
    context: TurnContext,
    activity: InboundActivity,
    file: TeamsFile,
  ): Promise<AsyncIterable<Uint8Array> | undefined> {
    if (file.kind === 'inline') {
      const connector = context.turnState.get(context.adapter.ConnectorClientKey) as
        | TurnConnector
        | undefined;
      const response = await connector?.attachments.getAttachment(file.attachmentId, file.viewId);
      const stream = response?.readableStreamBody;
      return stream ? Readable.from(stream as AsyncIterable<Uint8Array>) : undefined;
    }
    if (!isFileHost(file.url, activity.serviceUrl)) return undefined;
    const response = await fetch(file.url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return undefined;
    }
    return response.body;
  }
}

/** Where Teams keeps a chat's files (SharePoint, OneDrive), or the conversation's own connector. */
function isFileHost(url: string, serviceUrl: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    const microsoft =
      protocol === 'https:' && /(^|\.)(sharepoint\.com|sharepoint-df\.com|onedrive\.com)$/.test(hostname);
    return microsoft || sameOrigin(url, serviceUrl);
  } catch {
    return false;
  }
}
