import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import {
  ATTACHMENT_ID,
  type Attachment,
  type AttachmentLimits,
  type AttachmentRefusal,
  type AttachmentRemover,
  type AttachmentSaveResult,
  type AttachmentSaver,
  cleanFileName,
  sniffContentType,
} from '../core/attachment.ts';
import type { Clock } from '../core/clock.ts';

export type SaveResult = AttachmentSaveResult;

/** Enough of the start of a file to tell its type (text is checked over this much). */
const HEAD_BYTES = 4096;

/**
 * Customers' files on disk: `ATTACHMENTS_DIR` (default `DATA_DIR/attachments`), one file per
 * attachment named by its random id, its description beside it (`<id>.json`). With several
 * processes the directory must be shared (a volume all mount), like Redis is. Files are counted
 * while they stream in and dropped the moment they pass the limit; their type is read from their
 * first bytes; a name never becomes a path (ids are 32 hex digits, checked on every read).
 */
export class AttachmentFiles implements AttachmentSaver, AttachmentRemover {
  constructor(
    readonly dir: string,
    readonly limits: AttachmentLimits,
    private readonly clock: Clock,
  ) {}

  async save(source: AsyncIterable<Uint8Array>, name: string | undefined): Promise<SaveResult> {
    await mkdir(this.dir, { recursive: true });
    const id = randomBytes(16).toString('hex');
    const partial = join(this.dir, `${id}.part`);
    const file = await open(partial, 'wx', 0o600);
    let size = 0;
    const head: Uint8Array[] = [];
    let headSize = 0;
    let refused: AttachmentRefusal | undefined;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > this.limits.maxBytes) {
          refused = 'too-large';
          break;
        }
        if (headSize < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headSize));
          headSize += Math.min(chunk.byteLength, HEAD_BYTES - headSize);
        }
        await file.write(chunk);
      }
    } finally {
      await file.close();
    }
    const type = refused ? undefined : sniffContentType(Buffer.concat(head));
    if (!refused && size === 0) refused = 'empty';
    if (!refused && (!type || !this.limits.types.has(type))) refused = 'type';
    if (refused || !type) {
      await rm(partial, { force: true });
      return { ok: false, reason: refused ?? 'type' };
    }
    const attachment: Attachment = {
      id,
      name: cleanFileName(name),
      contentType: type,
      size,
      at: this.clock.now(),
    };
    await writeFile(join(this.dir, `${id}.json`), JSON.stringify(attachment), { mode: 0o600 });
    await rename(partial, join(this.dir, id));
    return { ok: true, attachment };
  }

  /** The attachment and its bytes; undefined for an unknown or malformed id. */
  async open(id: string): Promise<{ attachment: Attachment; stream: ReadStream } | undefined> {
    if (!ATTACHMENT_ID.test(id)) return undefined;
    let attachment: Attachment;
    try {
      attachment = JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')) as Attachment;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return { attachment, stream: createReadStream(join(this.dir, id)) };
  }

  /** Removes an attachment (retention); an unknown id is nothing to do. */
  async remove(id: string): Promise<void> {
    if (!ATTACHMENT_ID.test(id)) return;
    await rm(join(this.dir, id), { force: true });
    await rm(join(this.dir, `${id}.json`), { force: true });
  }

  /**
   * The key that signs links to attachments: 32 random bytes in `<dir>/.link-key`, made by the
   * first process that needs it (exclusive create, so processes sharing the directory agree).
   */
  async linkKey(): Promise<Buffer> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, '.link-key');
    try {
      await writeFile(path, randomBytes(32), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFile(path);
  }
}

/** The attachment store the settings name: ATTACHMENTS_DIR (or DATA_DIR/attachments) and its limits. */
export function attachmentFilesFor(
  config: Pick<Config, 'ATTACHMENTS_DIR' | 'DATA_DIR' | 'ATTACHMENT_MAX_BYTES' | 'ATTACHMENT_TYPES'>,
  clock: Clock,
): AttachmentFiles {
  return new AttachmentFiles(
    config.ATTACHMENTS_DIR ?? join(config.DATA_DIR, 'attachments'),
    {
      maxBytes: config.ATTACHMENT_MAX_BYTES,
      types: new Set(config.ATTACHMENT_TYPES.split(',').map((t) => t.trim())),
    },
    clock,
  );
}
