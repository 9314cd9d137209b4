import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Language } from '../core/language.ts';
import { BASE_HEADERS, sendError, sendJson } from '../http/http-json.ts';
import type { HttpServer } from '../http/http-server.ts';
import { readValidBody } from '../http/read-valid-body.ts';
import type { KnowledgeCuration } from '../knowledge/knowledge-curation.ts';
import { EXPORT_FILE, formatFaqExport, type ImportInput } from '../knowledge/transfer/faq-transfer.ts';
import { TRANSFER_FORMATS } from '../knowledge/transfer/transfer-problem.ts';
import { detectLanguage } from '../understanding/detect-language.ts';
import { actorOf, principalOf, type RouteGuard } from './accounts/console-access.ts';

/** A 5,000-pair QnA Maker export is a few megabytes. */
const IMPORT_LIMIT = 32 * 1024 * 1024;

const ImportBodySchema = z
  .object({
    format: z.enum(TRANSFER_FORMATS),
    language: z.enum(['de', 'en']).optional(),
    /** One file (QnA Maker, CSV, JSON), or the Markdown files of a folder. */
    files: z
      .array(z.object({ name: z.string().min(1).max(300), text: z.string() }).strict())
      .min(1)
      .max(20_000),
    by: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

/**
 * The console's upload (`POST /api/admin/faq-import`) into the versioned knowledge store, the same
 * formats as `support-bot import`, and the download of the FAQ as answered now
 * (`GET /api/admin/faq-export?format=…`).
 */
export class FaqTransferApi {
  constructor(private readonly options: { curation: KnowledgeCuration; auth: RouteGuard }) {}

  mount(server: HttpServer): void {
    const { auth } = this.options;
    server.mount(
      'POST',
      '/api/admin/faq-import',
      auth.guard((req, res) => this.import(req, res)),
    );
    server.mount(
      'GET',
      '/api/admin/faq-export',
      auth.guard((req, res) => this.export(req, res)),
    );
  }

  private async import(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const data = await readValidBody(
      req,
      res,
      ImportBodySchema,
      'Send {format, files: [{name, text}], language?}.',
      IMPORT_LIMIT,
    );
    if (!data) return;
    const { format, files, language, by } = data;
    const [first] = files;
    if (format !== 'markdown' && (files.length !== 1 || !first)) {
      sendError(res, 400, { code: 'invalid_body', message: `${format} is one file.` });
      return;
    }
    const input: ImportInput =
      format === 'markdown'
        ? { format, files }
        : { format, file: first?.name ?? '', text: first?.text ?? '' };
    const outcome = await this.options.curation.importFaq(
      input,
      {
        language: language as Language | undefined,
        detectLanguage: (text) => detectLanguage(text, { hint: 'en' }),
      },
      {
        actor: actorOf(principalOf(req), by),
        reason: `import of ${files.length === 1 ? first?.name : `${files.length} files`}`,
      },
    );
    if (!outcome.ok) {
      sendError(res, 400, {
        code: 'invalid_import',
        message: `Nothing was imported: ${outcome.problems.length} problem(s).`,
        issues: outcome.problems.map((p) => ({
          path: `${p.file}${p.row === undefined ? '' : `:${p.row}`} ${p.field}`,
          message: p.message,
        })),
      });
      return;
    }
    sendJson(res, 200, outcome);
  }

  private export(req: IncomingMessage, res: ServerResponse): void {
    const format = new URL(req.url ?? '/', 'http://localhost').searchParams.get('format') ?? '';
    if (!(TRANSFER_FORMATS as readonly string[]).includes(format)) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: `format is one of ${TRANSFER_FORMATS.join(', ')}.`,
      });
      return;
    }
    const exported = formatFaqExport(
      this.options.curation.entries(),
      format as (typeof TRANSFER_FORMATS)[number],
    );
    if (typeof exported !== 'string') {
      sendJson(res, 200, { files: exported });
      return;
    }
    const file = EXPORT_FILE[format as keyof typeof EXPORT_FILE];
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': file.type,
      'Content-Disposition': `attachment; filename="${file.name}"`,
      'Cache-Control': 'no-store',
    });
    res.end(exported);
  }
}
