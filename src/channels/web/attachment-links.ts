import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attachment, AttachmentUrls } from '../../core/attachment.ts';
import type { Clock } from '../../core/clock.ts';
import { sendError } from '../../http/http-json.ts';
import type { HttpServer, RouteParams } from '../../http/http-server.ts';
import type { AttachmentFiles } from '../../store/attachment-files.ts';

/** Links on agents' cards stay valid this long (a card is drawn again on every ticket change). */
const VALID_MS = 30 * 24 * 60 * 60_000;

/**
 * Links to customers' files for agents: `GET /attachments/{id}?exp=…&sig=…`, signed with the
 * attachment store's key (HMAC-SHA256 over id and expiry). The id alone opens nothing, a link
 * runs out, and the file is sent as a download (never rendered as a page of this origin).
 */
export class AttachmentLinks implements AttachmentUrls {
  constructor(
    private readonly files: AttachmentFiles,
    private readonly key: Buffer,
    /** PUBLIC_URL, or the server's own address: where agents' clients reach the bot. */
    private readonly baseUrl: () => string,
    private readonly clock: Clock,
  ) {}

  url(attachment: Pick<Attachment, 'id'>): string {
    const expires = Math.floor((this.clock.now() + VALID_MS) / 1000);
    const base = this.baseUrl().replace(/\/+$/, '');
    return `${base}/attachments/${attachment.id}?exp=${expires}&sig=${this.sign(attachment.id, expires)}`;
  }

  mount(server: HttpServer): void {
    server.mount('GET', '/attachments/:id', (req, res, params) => this.serve(req, res, params));
  }

  private sign(id: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${id}.${expires}`).digest('base64url');
  }

  private valid(id: string, expires: string | null, signature: string | null): boolean {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return false;
    if (Number(expires) * 1000 < this.clock.now()) return false;
    const expected = Buffer.from(this.sign(id, Number(expires)));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async serve(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const id = params.id ?? '';
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    if (!this.valid(id, query.get('exp'), query.get('sig'))) {
      // Unknown, expired and forged links answer alike.
      sendError(res, 404, { code: 'not_found', message: 'This link is unknown or has run out.' });
      return;
    }
    const found = await this.files.open(id);
    if (!found) {
      sendError(res, 404, { code: 'not_found', message: 'This link is unknown or has run out.' });
      return;
    }
    const { attachment, stream } = found;
    res.writeHead(200, {
      'Content-Type': attachment.contentType,
      'Content-Length': String(attachment.size),
      'Content-Disposition': `attachment; filename="${attachment.name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    });
    stream.pipe(res);
    await new Promise<void>((resolve) => {
      stream.on('close', resolve);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
    });
  }
}
