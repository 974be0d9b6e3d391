import express, { Router } from 'express';
import type { ConnectorDirectory } from '../../connector/connector-directory.js';
import type { Conversations } from '../../connector/sms/conversations.js';
import type { VoiceTokenSettings } from '../../connector/voice-token.js';
import type { ApiContext } from '../context.js';
import { connectorConversationsRouter } from './connector-conversations.js';
import { connectorIvrMenusRouter } from './connector-ivr-menus.js';
import type { MediaTokenSettings } from './connector-media-tokens.js';
import { connectorPhoneNumbersRouter } from './connector-phone-numbers.js';
import { connectorTokensRouter } from './connector-tokens.js';

/** What the connector brings to the server: its configuration, token settings, Twilio webhooks, conversations. */
export interface ConnectorMount {
  directory: ConnectorDirectory;
  tokens: VoiceTokenSettings;
  /** Mounted at `/webhooks`, outside Basic auth: Twilio's signature authenticates them. */
  webhooks: Router;
  /** SMS conversations, served under `/Conversations`. */
  conversations: Conversations;
  /** Media WebSockets: tokens for browsers, served at `/v1/Connector/MediaTokens` ahead of the API (app.ts). */
  mediaTokens: MediaTokenSettings;
}

/**
 * `/v1/Connector/...`: the voice connector's administration (phone numbers, IVR menus), Voice SDK tokens, and SMS
 * conversations, behind the API's Basic auth. Bodies may be forms (nested values as JSON text) or
 * JSON.
 */
export function connectorRouter(api: ApiContext, connector: ConnectorMount): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.use('/PhoneNumbers', connectorPhoneNumbersRouter(api, connector.directory));
  router.use('/IvrMenus', connectorIvrMenusRouter(api, connector.directory));
  router.use('/Tokens', connectorTokensRouter(api, connector.tokens));
  router.use('/Conversations', connectorConversationsRouter(api, connector.conversations));
  return router;
}
