import express, { Router } from 'express';
import type { ConnectorDirectory } from '../../connector/connector-directory.js';
import type { VoiceTokenSettings } from '../../connector/voice-token.js';
import type { ApiContext } from '../context.js';
import { connectorIvrMenusRouter } from './connector-ivr-menus.js';
import { connectorPhoneNumbersRouter } from './connector-phone-numbers.js';
import { connectorTokensRouter } from './connector-tokens.js';

/** What the voice connector brings to the server: its configuration, token settings and Twilio webhooks. */
export interface ConnectorMount {
  directory: ConnectorDirectory;
  tokens: VoiceTokenSettings;
  /** Mounted at `/webhooks`, outside Basic auth: Twilio's signature authenticates them. */
  webhooks: Router;
}

/**
 * `/v1/Connector/...`: the voice connector's administration (phone numbers, IVR menus) and Voice SDK tokens,
 * behind the API's Basic auth. Bodies may be forms (nested values as JSON text) or JSON.
 */
export function connectorRouter(api: ApiContext, connector: ConnectorMount): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.use('/PhoneNumbers', connectorPhoneNumbersRouter(api, connector.directory));
  router.use('/IvrMenus', connectorIvrMenusRouter(api, connector.directory));
  router.use('/Tokens', connectorTokensRouter(api, connector.tokens));
  return router;
}
