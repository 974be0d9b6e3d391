import { Router } from 'express';
import type twilio from 'twilio';
import { smsInboundRouter } from '../../../webhooks/sms-inbound.js';
import { smsStatusRouter } from '../../../webhooks/sms-status.js';
import type { RoutingEngine } from '../../engine/engine.js';
import type { ConnectorDirectory } from '../connector-directory.js';
import { smsWebhookUrl } from '../webhook-urls.js';
import { closeConversationsWithTasks } from './conversation-closing.js';
import { ConversationStore } from './conversation-store.js';
import { Conversations } from './conversations.js';
import type { ConnectorState } from '../state/connector-state.js';

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

/** The SMS side of the connector: conversations for the API, messaging webhooks for Twilio. */
export interface SmsConnector {
  conversations: Conversations;
  /** `/sms` and `/sms/status`, mounted under `/webhooks` behind the signature check. */
  webhooks: Router;
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
  const webhooks = Router();
  const deps = { directory: options.directory, conversations };
  webhooks.use(smsInboundRouter(deps));
  webhooks.use(smsStatusRouter(deps));
  const stop = closeConversationsWithTasks(engine, store);
  return { conversations, webhooks, stop };
}
