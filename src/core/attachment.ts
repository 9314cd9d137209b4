/**
 * A file a customer sent (a screenshot, a log, a PDF), kept with their ticket. The bytes live in
 * the attachment store under `id`; this is what the ticket and the conversation remember of it.
 */
export interface Attachment {
  /** 32 hex digits, drawn at random: the file's name in the store, never guessable. */
  id: string;
  /** The name the customer gave it, cleaned for display (no path, no control characters). */
  name: string;
  /** The type its first bytes show (not what its name or the client claims). */
  contentType: string;
  size: number;
  at: number;
}

export const ATTACHMENT_ID = /^[0-9a-f]{32}$/;

/** What a deployment accepts: ATTACHMENT_MAX_BYTES and ATTACHMENT_TYPES. */
export interface AttachmentLimits {
  maxBytes: number;
  types: ReadonlySet<string>;
}

/** Why a file was not kept; told to the customer in their language. */
export type AttachmentRefusal = 'too-large' | 'type' | 'empty' | 'unavailable';

export type AttachmentSaveResult =
  | { ok: true; attachment: Attachment }
  | { ok: false; reason: AttachmentRefusal };

/** Where channels put the files customers send (the store implements it: AttachmentFiles). */
export interface AttachmentSaver {
  readonly limits: AttachmentLimits;
  save(source: AsyncIterable<Uint8Array>, name: string | undefined): Promise<AttachmentSaveResult>;
}

/** Removes a kept file (a customer's erasure, retention); an unknown id is nothing to do. */
export interface AttachmentRemover {
  remove(id: string): Promise<void>;
}

/** The files a ticket or a conversation holds, by id. */
export function attachmentIdsOf(
  ...holders: ({ attachments?: Attachment[] | undefined } | undefined)[]
): string[] {
  return holders.flatMap((holder) => holder?.attachments?.map((a) => a.id) ?? []);
}

/** What became of the files one message carried. */
export interface KeptFiles {
  kept: Attachment[];
  refused: { name: string; reason: AttachmentRefusal }[];
}

/** A message carries at most this many files into a ticket (Slack allows ten). */
export const MAX_FILES_PER_MESSAGE = 10;

/** Signed links agents open a customer's file with (AttachmentLinks, served by the bot's server). */
export interface AttachmentUrls {
  url(attachment: Pick<Attachment, 'id'>): string;
}

/** A size limit as people read it: `10 MB`, `500 kB`. */
export function formatLimit(bytes: number): string {
  return bytes >= 1_000_000 ? `${Math.floor(bytes / 100_000) / 10} MB` : `${Math.floor(bytes / 1000)} kB`;
}

/** At most this many files stay with one conversation before a ticket takes them over. */
export const MAX_PENDING_ATTACHMENTS = 20;

const MAGIC: { type: string; at?: number; bytes: number[] }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
];

function startsWith(head: Uint8Array, bytes: number[], at = 0): boolean {
  return bytes.every((b, i) => head[at + i] === b);
}

/**
 * The type of a file from its first bytes (at least 16 of them, or the whole file): PNG, JPEG,
 * GIF, WebP, PDF, ZIP, or plain text (UTF-8 without control characters other than tab and line
 * breaks). Undefined for anything else, e.g. an executable renamed to `.png`.
 */
export function sniffContentType(head: Uint8Array): string | undefined {
  for (const magic of MAGIC) if (startsWith(head, magic.bytes, magic.at)) return magic.type;
  // RIFF....WEBP
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) {
    return 'image/webp';
  }
  if (head.length === 0) return undefined;
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return undefined;
    if (byte === 0x7f) return undefined;
  }
  // A multi-byte character may be cut at the end of the head: decode leniently there.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)));
  } catch {
    return undefined;
  }
  return 'text/plain';
}

/** A display name: the last path part, control and markup characters out, at most 120 characters. */
export function cleanFileName(name: string | undefined): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return cleaned || 'file';
}
