import { z } from 'zod';
import type { Language } from '../../core/language.ts';
import type { ConversationRef, Customer } from '../../core/turn.ts';

const account = z.looseObject({
  id: z.string().min(1).max(1000),
  name: z.string().max(1000).optional(),
  aadObjectId: z.string().max(200).optional(),
});

/**
 * The parts of an inbound Bot Framework activity the bot relies on; everything else passes
 * through to botbuilder untouched. A request that fails this is answered 400 before botbuilder
 * sees it.
 */
export const InboundActivitySchema = z
  .looseObject({
    type: z.string().min(1).max(100),
    id: z.string().min(1).max(1000).optional(),
    channelId: z.string().min(1).max(100),
    serviceUrl: z.url().max(2000),
    from: account,
    recipient: account,
    conversation: z.looseObject({
      id: z.string().min(1).max(2000),
      conversationType: z.string().max(100).optional(),
      tenantId: z.string().max(200).optional(),
    }),
    text: z.string().max(100_000).optional(),
    locale: z.string().max(100).optional(),
    replyToId: z.string().max(1000).optional(),
    name: z.string().max(200).optional(),
    value: z.unknown().optional(),
    attachments: z
      .array(
        z.looseObject({
          contentType: z.string().max(300),
          contentUrl: z.string().max(4000).optional(),
          name: z.string().max(1000).optional(),
          content: z.unknown().optional(),
        }),
      )
      .max(50)
      .optional(),
  })
  .refine((a) => (a.type !== 'message' && a.type !== 'invoke') || a.id !== undefined, {
    message: 'messages and invokes need an id',
    path: ['id'],
  });

export type InboundActivity = z.infer<typeof InboundActivitySchema>;

/** The stored address: exactly what botbuilder needs to continue the conversation later. */
const AddressSchema = z.looseObject({
  serviceUrl: z.url(),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  bot: z.looseObject({ id: z.string().min(1) }),
  user: z.looseObject({ id: z.string().min(1) }).optional(),
  locale: z.string().optional(),
});

export type TeamsAddress = z.infer<typeof AddressSchema>;

/** Conversation ids of Teams conversations carry this prefix (others: `web:`, `slack:`). */
export const TEAMS_CONVERSATION_PREFIX = 'teams:';

export function teamsConversationId(conversationId: string): string {
  return `${TEAMS_CONVERSATION_PREFIX}${conversationId}`;
}

/** Where this conversation is, for replies now and proactive messages later. */
export function toConversationRef(activity: InboundActivity): ConversationRef {
  const address: TeamsAddress = {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    conversation: activity.conversation,
    bot: activity.recipient,
    user: activity.from,
    ...(activity.locale ? { locale: activity.locale } : {}),
  };
  return {
    channel: 'teams',
    conversationId: teamsConversationId(activity.conversation.id),
    address: JSON.parse(JSON.stringify(address)) as Record<string, unknown>,
  };
}

/** The stored address of a Teams conversation, or undefined when it is not one. */
export function readAddress(ref: ConversationRef): TeamsAddress | undefined {
  if (ref.channel !== 'teams') return undefined;
  const parsed = AddressSchema.safeParse(ref.address);
  return parsed.success ? parsed.data : undefined;
}

/** The customer: the Entra object id when Teams sends it (stable across chats), else the Teams user id. */
export function toCustomer(activity: InboundActivity): Customer {
  const id = activity.from.aadObjectId ?? activity.from.id;
  const tenant = activity.conversation.tenantId;
  // The tenant comes with the authenticated activity: it tells the customer's organisation.
  return {
    id: `teams:${id}`,
    name: activity.from.name,
    ...(tenant ? { identity: { teamsTenant: tenant } } : {}),
  };
}

/** `de-DE` → de, `en-US` → en; other locales leave the choice to the engine. */
export function toLanguage(locale: string | undefined): Language | undefined {
  const primary = locale?.toLowerCase().split(/[-_]/)[0];
  return primary === 'de' || primary === 'en' ? primary : undefined;
}
