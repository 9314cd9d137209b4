import { z } from 'zod';
import { envBoolean } from './env-schema.ts';

const perMinute = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** Abuse limits and who the client is (see SECURITY.md). */
export const securityFragment = {
  WEB_NEW_CONVERSATIONS_PER_MINUTE: perMinute(30).describe(
    'New web chat conversations one client address may open per minute; more get 429 with a polite reply. Shared through Redis when it is used.',
  ),
  WEB_MESSAGES_PER_MINUTE: perMinute(30).describe(
    'Messages one web conversation may send per minute; more get 429 with a polite reply in the customer’s language.',
  ),
  WEB_IDENTITY_SECRET: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe(
      'Secret shared with an embedding site: it passes `identity: {userId, hash}` (hash = hex HMAC-SHA256 of the user id, with name, e-mail and organisation appended after newlines when given) and the conversation carries that identity to the ticket. Unset: identity claims are ignored.',
    ),
  RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(365)
    .describe(
      'Days personal data is kept: a resolved or cancelled ticket’s transcript, details, name, e-mail and texts (the figures for reports stay), question logs, unanswered questions and feedback texts; idle conversations at most this long (else 30 days).',
    ),
  TRUST_PROXY: envBoolean
    .default(false)
    .describe(
      '`true` behind a load balancer or reverse proxy: the client address is the last one it adds to `X-Forwarded-For`. Leave `false` when clients reach the bot directly (the header could be forged).',
    ),
};
