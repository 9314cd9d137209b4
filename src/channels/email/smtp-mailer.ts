import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { UndeliverableError } from '../../core/delivery.ts';
import type { OutboxItem } from '../../core/outbox-port.ts';
import { CONTACT_MAIL_KIND, type ContactMail } from '../../handoff/balance-warnings.ts';

export interface SmtpSettings {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (nodemailer's connection URL). */
  url: string;
  /** The sender, e.g. `Support <support@example.com>`. */
  from: string;
}

/** What the outbox pump offers: a handler per item kind. */
interface HandlerRegistry {
  register(kind: string, handler: (item: OutboxItem) => Promise<void>): void;
}

/**
 * Sends the outbox's e-mails to organisations' contacts over SMTP (nodemailer). A failure is
 * retried by the outbox with its backoff; a permanent refusal (5xx, e.g. an unknown mailbox) is
 * given up. The Message-ID comes from the item's id, the same on every retry, so a mail system
 * that sees a repeat (a process died after the server accepted it) can tell.
 */
export class SmtpMailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport(settings.url);
  }

  /** Call in every process before its pump starts. */
  register(pump: HandlerRegistry): void {
    pump.register(CONTACT_MAIL_KIND, (item) => this.send(item));
  }

  close(): void {
    this.transport.close();
  }

  private async send(item: OutboxItem): Promise<void> {
    const mail = item.payload as ContactMail;
    const digest = createHash('sha256').update(item.id).digest('hex').slice(0, 32);
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: `<${digest}@support-bot>`,
      });
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      if (typeof code === 'number' && code >= 500) {
        throw new UndeliverableError(`mail to ${mail.to} refused (${code})`);
      }
      throw error;
    }
  }
}
