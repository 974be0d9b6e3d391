import express, { Router } from 'express';
import { acceptBodies, FORM } from '../src/api/body-types.js';
import type { VoiceWebhookDeps } from './deps.js';
import { twilioSignature } from '../src/connector/twilio/signature.js';
import { voiceAgentRouter } from './voice-agent.js';
import { voiceBrowserAgentRouter } from './voice-browser-agent.js';
import { voiceHoldRouter } from './voice-hold.js';
import { voiceInboundRouter } from './voice-inbound.js';
import { voiceStatusRouter } from './voice-status.js';
import { voiceVoicemailRouter } from './voice-voicemail.js';

export type { VoiceWebhookDeps } from './deps.js';

/**
 * Twilio's webhooks, mounted at `/webhooks`: the voice call flow under `/voice`, and `channels` (messaging under
 * `/sms`) beside it. Every request must carry a valid Twilio signature.
 */
export function webhooksRouter(deps: VoiceWebhookDeps, channels: Router[]): Router {
  const router = Router();
  // Flat string parameters, as Twilio sends and signs them; a body of any other type is refused, never read as empty.
  router.use(acceptBodies(FORM));
  router.use(express.urlencoded({ extended: false, limit: '1mb' }));
  router.use(twilioSignature(deps.authToken, deps.publicUrl));
  router.use(voiceInboundRouter(deps));
  router.use(voiceHoldRouter(deps));
  router.use(voiceVoicemailRouter(deps));
  router.use(voiceAgentRouter(deps));
  router.use(voiceBrowserAgentRouter(deps));
  router.use(voiceStatusRouter(deps));
  for (const channel of channels) router.use(channel);
  return router;
}
