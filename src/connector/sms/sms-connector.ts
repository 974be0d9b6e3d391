import type twilio from 'twilio';
import type { RoutingEngine } from '../../engine/engine.js';
import type { ConnectorDirectory } from '../connector-directory.js';
import { smsWebhookUrl } from '../webhook-urls.js';
import { closeConversationsWithTasks } from './conversation-closing.js';
import { ConversationStore } from './conversation-store.js';
import { Conversations } from './conversations.js';
import type { ConnectorState } from '../state/connector-state.js';
import { log } from '../../telemetry/log.js';

export interface SmsConnectorOptions {
  engine: RoutingEngine;
  directory: ConnectorDirectory;
  /** Where conversations are kept. */
  state: ConnectorState;
  publicUrl: () => string;
  /** Twilio's REST client agents' replies are sent with; null when no Twilio credentials are configured. */
  client: twilio.Twilio | null;
  /** Whether Twilio can reach PUBLIC_URL with delivery reports. */
  deliveryReports: boolean;
}

/** The SMS side of the connector: conversations for the API and for Twilio's messaging webhooks. */
export interface SmsConnector {
  conversations: Conversations;
  /** Stops closing conversations on task events. */
  stop(): void;
}

/** Builds the SMS connector and starts closing conversations as their tasks end. */
export function createSmsConnector(options: SmsConnectorOptions): SmsConnector {
  const { engine, publicUrl } = options;
  const store = new ConversationStore(options.state);
  const conversations = new Conversations({
    engine,
    conversations: store,
    client: options.client,
    statusCallbackUrl: (sid) => (options.deliveryReports ? smsWebhookUrl(publicUrl(), 'status', { conversation: sid }) : null),
  });
  const stop = closeConversationsWithTasks(engine, store);
  return { conversations, stop };
}

/**
 * A customer's SMS/MMS (or WhatsApp message) to one of our numbers: the number written to (`To`) selects its
 * configuration; the message joins the pair's open conversation, or opens one with a new task. Returns the number's
 * automatic reply when this message opened the conversation (the reply is filed with it), else null: nothing to
 * answer. Messages to numbers we do not serve are ignored.
 */
export async function smsArrived(
  deps: { directory: ConnectorDirectory; conversations: Conversations },
  params: Record<string, string | undefined>,
): Promise<string | null> {
  const to = params.To ?? '';
  const number = to ? await deps.directory.numberInService(to.replace(/^whatsapp:/, '')) : null;
  if (!number) {
    log.warn({ to: to || null, message_sid: params.MessageSid }, 'SMS ignored: the number is not configured');
    return null;
  }
  const filing = await deps.conversations.receive(number, params);
  // Only the first message of a conversation is answered automatically.
  if (filing.kind !== 'opened' || !number.smsAutoReply) return null;
  await deps.conversations.fileAutoReply(filing.conversation, number.smsAutoReply);
  return number.smsAutoReply;
}
