import type { ConnectorDirectory } from '../src/connector/connector-directory.js';
import type { Conversations } from '../src/connector/sms/conversations.js';

/** What the messaging webhooks work with. */
export interface SmsWebhookDeps {
  directory: ConnectorDirectory;
  conversations: Conversations;
}
