import type { IncomingMessage, ServerResponse } from 'node:http';
import { cleanFileName, formatLimit } from '../../core/attachment.ts';
import { messagesFor } from '../../core/messages.ts';
import { sendError, sendJson } from '../../http/http-json.ts';
import type { HttpServer, RouteParams } from '../../http/http-server.ts';
import type { AttachmentFiles } from '../../store/attachment-files.ts';
import { CONVERSATION_ID, localeFrom, type WebChatApi } from './web-chat-api.ts';

const STATUS = { 'too-large': 413, type: 415, empty: 400, unavailable: 503 } as const;

/**
 * `POST /api/conversations/{id}/attachments?name=screenshot.png`: one file as the raw request body
 * (what `fetch(url, { body: file })` sends), with the conversation's bearer token like every chat
 * request. The file is counted while it streams in (a body over ATTACHMENT_MAX_BYTES is refused
 * as soon as it gets there, or at once by its Content-Length), its type is read from its first
 * bytes, and it goes with the customer's ticket (see keepAttachments). A refusal answers with a
 * polite message in the customer's language.
 */
export class WebAttachmentApi {
  constructor(
    private readonly chat: WebChatApi,
    private readonly files: AttachmentFiles,
  ) {}

  mount(server: HttpServer): void {
    server.mount('POST', '/api/conversations/:id/attachments', (req, res, params) =>
      this.upload(req, res, params),
    );
  }

  private async upload(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const id = params.id ?? '';
    if (!CONVERSATION_ID.test(id)) {
      req.resume();
      sendError(res, 400, { code: 'invalid_conversation_id', message: 'Not a conversation id.' });
      return;
    }
    const access = await this.chat.authorize(req, res, id);
    if (!access) return;
    const locale = localeFrom(req) ?? 'de';
    const name = cleanFileName(
      new URL(req.url ?? '/', 'http://localhost').searchParams.get('name') ?? undefined,
    );
    const declared = Number(req.headers['content-length']);
    const refuse = (reason: keyof typeof STATUS, close: boolean) => {
      sendError(
        res,
        STATUS[reason],
        {
          code: `attachment_${reason.replace('-', '_')}`,
          message: messagesFor(locale).attachmentRefused(
            name,
            reason,
            formatLimit(this.files.limits.maxBytes),
          ),
        },
        // The rest of an oversized body is not read: the connection closes after the answer.
        close ? { Connection: 'close' } : {},
      );
    };
    if (Number.isFinite(declared) && declared > this.files.limits.maxBytes) {
      refuse('too-large', true);
      return;
    }
    const saved = await this.files.save(req.iterator({ destroyOnReturn: false }), name);
    if (!saved.ok) {
      refuse(saved.reason, saved.reason === 'too-large');
      return;
    }
    const replies = await this.chat.runTurn(id, access, {
      id: `web:${id}:attachment:${saved.attachment.id}`,
      locale,
      attachments: [saved.attachment],
    });
    sendJson(res, 200, { attachment: saved.attachment, replies });
  }
}
