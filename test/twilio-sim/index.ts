/**
 * A Twilio simulator for tests: the 2010-04-01 REST API (Calls, Queues, Members, Messages, Streams), Twilio's side of
 * voice calls (TwiML execution, queues, dialing, bridging, conferences, Media Streams) and of messaging, all driving
 * the application under test with signed webhooks.
 */
export { startTwilioSim, type TwilioSim } from './sim.js';
export type { TwilioSimOptions } from './core/options.js';
export type { SimEvent, SimEventData, SimEventOf, SimEventBase, WaitOptions } from './core/events.js';
export { describe as describeEvents } from './core/events.js';
export type {
  CallDirection,
  CallStatus,
  DialCallStatus,
  FetchTarget,
  UrlTarget,
  Geo,
  HangupSource,
  HttpMethod,
  QueueResult,
  RequestPurpose,
} from './core/types.js';
export type { SimCall } from './voice/call.js';
export type { CallerInput, InputQueue } from './voice/input.js';
export type { SimAgent, AgentOptions, AnswerMode } from './voice/agents.js';
export type { SimQueue, QueueMember } from './voice/queues.js';
export type { SimConference } from './voice/conferences.js';
export type { InboundCallOptions } from './voice/start.js';
export type { InboundSmsOptions, SimSmsExchange } from './messaging/inbound.js';
export type { SimMessage } from './messaging/messages.js';
export type { MediaStreamClient, StreamSpec } from './media/stream-client.js';
export type { RestRecord } from './rest/server.js';
export type { ForgeOptions } from './http/forge.js';
export type { WebhookResult } from './http/webhook.js';
export { parseTwiml, TwimlError, type TwimlDocument, type TwimlNode } from './twiml/parse.js';
export { twilioSignature } from './http/signing.js';
export { FRAME_BYTES, FRAME_MS } from './media/stream-client.js';
