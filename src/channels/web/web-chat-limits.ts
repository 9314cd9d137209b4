import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Language } from '../../core/language.ts';
import { messagesFor } from '../../core/messages.ts';
import type { RateLimit, RateLimitDecision, RateLimits } from '../../core/web-ports.ts';
import { clientAddress } from '../../http/client-address.ts';
import { sendJson } from '../../http/http-json.ts';

export interface WebChatLimitSettings {
  /** New conversations per client address and minute. */
  newConversationsPerMinute: number;
  /** Messages per conversation and minute. */
  messagesPerMinute: number;
  /** Behind a load balancer: the client address comes from X-Forwarded-For. */
  trustProxy: boolean;
}

const ALLOWED: RateLimitDecision = { allowed: true };

/**
 * The web chat's abuse limits: new conversations per client address, messages per conversation.
 * Refusals answer 429 with Retry-After and a polite reply the page shows in the customer's language.
 */
export class WebChatLimits {
  private readonly newConversations: RateLimit | undefined;
  private readonly messages: RateLimit | undefined;

  constructor(
    limits: RateLimits | undefined,
    private readonly settings: WebChatLimitSettings,
  ) {
    this.newConversations = limits?.limit('web-new-conversation', {
      points: settings.newConversationsPerMinute,
      durationSeconds: 60,
    });
    this.messages = limits?.limit('web-message', { points: settings.messagesPerMinute, durationSeconds: 60 });
  }

  /** The address that opens a conversation (kept out of logs: it is personal data). */
  newConversation(req: IncomingMessage): Promise<RateLimitDecision> {
    return (
      this.newConversations?.consume(clientAddress(req, this.settings.trustProxy)) ?? Promise.resolve(ALLOWED)
    );
  }

  message(conversationId: string): Promise<RateLimitDecision> {
    return this.messages?.consume(conversationId) ?? Promise.resolve(ALLOWED);
  }
}

/** 429, Retry-After in whole seconds, the reason in words and as a reply the chat shows. */
export function sendTooMany(res: ServerResponse, language: Language, retryAfterMs: number): void {
  const text = messagesFor(language).tooManyMessages;
  sendJson(
    res,
    429,
    {
      error: { code: 'rate_limited', message: text },
      replies: [{ type: 'notice', text, actions: [], language }],
    },
    { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  );
}
