import {
  type Activity,
  Channels,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationParameters,
  type ConversationReference,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { DeliveryError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { errorCode, errorMessage } from '../../core/logger.ts';
import type { TeamsAuth } from './teams-auth.ts';

export type TurnLogic = (context: TurnContext) => Promise<void>;

/** What processing one activity led to: the invoke response (if any), or a refusal. */
export type AdapterOutcome =
  | { ok: true; invokeResponse?: InvokeResponse | undefined }
  | { ok: false; status: 401 | 500; code: string; message: string };

/**
 * botbuilder's CloudAdapter with the bot's authentication, behind two calls: `run` for an
 * inbound activity and `continueWith` for a proactive message. With credentials the adapter
 * validates the Bot Framework token of every request and signs every outgoing call. Without
 * (local mode) its authentication is disabled by having no app id: it then neither validates nor
 * fetches tokens, so local tests never leave the machine.
 */
export class TeamsAdapter extends CloudAdapter {
  private readonly appId: string;

  constructor(
    auth: Exclude<TeamsAuth, { kind: 'off' }>,
    private readonly log: Logger,
  ) {
    super(
      new ConfigurationBotFrameworkAuthentication(
        auth.kind === 'authenticated'
          ? {
              MicrosoftAppId: auth.appId,
              MicrosoftAppPassword: auth.appPassword,
              MicrosoftAppType: 'SingleTenant',
              MicrosoftAppTenantId: auth.tenantId,
            }
          : {},
      ),
    );
    this.appId = auth.kind === 'authenticated' ? auth.appId : '';
    // The per-turn error boundary lives in the activity handler; this catches what escapes it.
    this.onTurnError = async (context, error) => {
      this.log.error('teams turn failed', {
        code: errorCode(error),
        error: errorMessage(error),
        activityType: context.activity.type,
        conversationId: context.activity.conversation?.id,
      });
      throw error;
    };
  }

  /** Authenticates the request (Authorization header) and runs the logic for the activity. */
  async run(authHeader: string, activity: Activity, logic: TurnLogic): Promise<AdapterOutcome> {
    try {
      return { ok: true, invokeResponse: await this.processActivity(authHeader, activity, logic) };
    } catch (error) {
      if (isAuthenticationFailure(error)) {
        this.log.warn('teams request refused', { error: errorMessage(error) });
        return { ok: false, status: 401, code: 'unauthorized', message: 'The request is not authorized.' };
      }
      this.log.error('teams activity failed', { code: errorCode(error), error: errorMessage(error) });
      return {
        ok: false,
        status: 500,
        code: 'internal_error',
        message: 'The activity could not be processed.',
      };
    }
  }

  /**
   * Runs the logic in an existing conversation, outside a customer's turn (agent replies,
   * resolve notices). The stored activity id is dropped: a proactive message is not a reply to
   * whatever the customer wrote last (botbuilder gives the continuation an id of its own).
   */
  async continueWith(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const { activityId: _reply, ...conversation } = reference;
    await this.continueConversationAsync(this.appId, conversation, logic);
  }

  /**
   * Starts a new thread in a Teams channel with this message: the Bot Connector's "create
   * conversation" with the channel in channelData, as Teams documents for proactive channel
   * posts. Resolves with the thread's conversation id (`<channel id>;messageid=<message id>`).
   */
  async startChannelThread(
    serviceUrl: string,
    channel: { id: string; tenantId?: string | undefined },
    activity: Partial<Activity>,
  ): Promise<string> {
    const tenant = channel.tenantId ? { tenantId: channel.tenantId } : {};
    const parameters = {
      isGroup: true,
      channelData: {
        channel: { id: channel.id },
        ...(channel.tenantId ? { tenant: { id: channel.tenantId } } : {}),
      },
      activity,
      ...tenant,
    } as unknown as ConversationParameters;
    let conversationId: string | undefined;
    // No audience: the connector factory then asks for the Bot Framework's own token scope.
    const defaultAudience = undefined as unknown as string;
    await this.createConversationAsync(
      this.appId,
      Channels.Msteams,
      serviceUrl,
      defaultAudience,
      parameters,
      async (context) => {
        conversationId = context.activity.conversation?.id;
      },
    );
    if (!conversationId)
      throw new DeliveryError(
        'teams_delivery_failed',
        'the Bot Connector created no conversation for the channel post',
      );
    return conversationId;
  }
}

/** botframework-connector's AuthenticationError carries HTTP 401/403 as statusCode. */
function isAuthenticationFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return error.name === 'AuthenticationError' || status === 401 || status === 403;
}
