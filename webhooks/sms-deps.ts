import type { ConnectorDirectory } from '../src/connector/connector-directory.js';
import type { Conversations } from '../src/connector/sms/conversations.js';
import type { RoutingEngine } from '../src/engine/engine.js';

/** What the messaging webhooks work with. */
export interface SmsWebhookDeps {
  engine: RoutingEngine;
  directory: ConnectorDirectory;
  conversations: Conversations;
}
