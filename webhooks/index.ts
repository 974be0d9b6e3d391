import express, { Router } from 'express';
import { acceptBodies, FORM } from '../src/api/body-types.js';
import type { ConnectorMount } from '../src/api/routes/connector.js';
import type { VoiceConnector } from '../src/connector/voice-connector.js';
import { twilioSignature } from './signature.js';
import { smsInboundRouter } from './sms-inbound.js';
import { smsStatusRouter } from './sms-status.js';
import { voiceAgentRouter } from './voice-agent.js';
import { voiceBrowserAgentRouter } from './voice-browser-agent.js';
import { voiceHoldRouter } from './voice-hold.js';
import { voiceInboundRouter } from './voice-inbound.js';
import { voiceStatusRouter } from './voice-status.js';
import { voiceSupervisorRouter } from './voice-supervisor.js';
import { voiceVoicemailRouter } from './voice-voicemail.js';

/** The connector as the server serves it: with Twilio's webhooks mounted on its call flows and conversations. */
export type ServedConnector = VoiceConnector & ConnectorMount;

/** Mounts Twilio's webhooks on a connector; the composition root calls this, so the connector never knows them. */
export function withWebhooks(connector: VoiceConnector): ServedConnector {
  return { ...connector, webhooks: webhooksRouter(connector) };
}

/**
 * Twilio's webhooks, mounted at `/webhooks`: the voice call flow under `/voice`, messaging under `/sms`. Every
 * request must carry a valid Twilio signature.
 */
export function webhooksRouter(connector: Pick<VoiceConnector, 'callFlows' | 'directory' | 'conversations'>): Router {
  const calls = connector.callFlows;
  const messages = { directory: connector.directory, conversations: connector.conversations };
  const router = Router();
  // Flat string parameters, as Twilio sends and signs them; a body of any other type is refused, never read as empty.
  router.use(acceptBodies(FORM));
  router.use(express.urlencoded({ extended: false, limit: '1mb' }));
  router.use(twilioSignature(calls.authToken, calls.publicUrl));
  router.use(voiceInboundRouter(calls));
  router.use(voiceHoldRouter(calls));
  router.use(voiceVoicemailRouter(calls));
  router.use(voiceAgentRouter(calls));
  router.use(voiceBrowserAgentRouter(calls));
  router.use(voiceSupervisorRouter());
  router.use(voiceStatusRouter(calls));
  router.use(smsInboundRouter(messages));
  router.use(smsStatusRouter(messages));
  return router;
}
