import type { webApi } from '@slack/bolt';
import {
  type Attachment,
  type AttachmentRefusal,
  type AttachmentSaver,
  type KeptFiles,
  MAX_FILES_PER_MESSAGE,
} from '../../core/attachment.ts';
import { errorCode, type Logger } from '../../core/logger.ts';

/** A file as a message event names it (file_share); files.info tells the rest. */
export interface SharedFile {
  id: string;
  name?: string | undefined;
}

/**
 * Files customers share in Slack, fetched with the bot token (files.info, then `url_private`)
 * and kept with their ticket. The token is sent only to Slack's own file host (or the configured
 * API's origin, for a stand-in), never to a URL an event merely names; a file Slack says is too
 * large is refused before it is fetched, and every file is counted again as it streams in.
 */
export class SlackFiles {
  private readonly allowedOrigins: Set<string>;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly token: string,
    private readonly saver: AttachmentSaver,
    private readonly log: Logger,
    apiUrl?: string | undefined,
  ) {
    this.allowedOrigins = new Set(['https://files.slack.com']);
    if (apiUrl) this.allowedOrigins.add(new URL(apiUrl).origin);
  }

  get maxBytes(): number {
    return this.saver.limits.maxBytes;
  }

  async keep(files: readonly SharedFile[]): Promise<KeptFiles> {
    const result: KeptFiles = { kept: [], refused: [] };
    for (const file of files.slice(0, MAX_FILES_PER_MESSAGE)) {
      const outcome = await this.keepOne(file);
      if ('attachment' in outcome) result.kept.push(outcome.attachment);
      else result.refused.push(outcome);
    }
    return result;
  }

  private async keepOne(
    file: SharedFile,
  ): Promise<{ attachment: Attachment } | { name: string; reason: AttachmentRefusal }> {
    let name = file.name ?? file.id;
    try {
      const info = await this.client.files.info({ file: file.id });
      name = info.file?.name ?? name;
      if ((info.file?.size ?? 0) > this.saver.limits.maxBytes) return { name, reason: 'too-large' };
      const url = info.file?.url_private_download ?? info.file?.url_private;
      if (!url || !this.allowedOrigins.has(new URL(url).origin)) return { name, reason: 'unavailable' };
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout(60_000),
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        return { name, reason: 'unavailable' };
      }
      const saved = await this.saver.save(response.body, name);
      // A refused download stops part way: the rest is not read.
      if (!saved.ok) {
        await response.body.cancel().catch(() => undefined);
        return { name, reason: saved.reason };
      }
      return { attachment: saved.attachment };
    } catch (error) {
      this.log.warn('slack file not kept', { code: errorCode(error), file: file.id });
      return { name, reason: 'unavailable' };
    }
  }
}
