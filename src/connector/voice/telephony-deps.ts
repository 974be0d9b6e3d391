import type twilio from 'twilio';
import type { RoutingEngine } from '../../engine/engine.js';
import type { ConnectorState } from '../state/connector-state.js';

/** What the telephony connector works with. */
export interface TelephonyDeps {
  /** The twilio REST client (pointed at TWILIO_API_BASE_URL). */
  client: twilio.Twilio;
  /** Our externally visible base URL: every TwiML and status callback URL Twilio is given is built on it. */
  publicUrl: () => string;
  engine: RoutingEngine;
  /** What the connector keeps of calls and agents' legs. */
  state: ConnectorState;
  /** Whether a browser agent (`stream:<identity>`) has an audio socket open to take a call; absent: none ever has. */
  browserAgents?: { reachable(identity: string): Promise<boolean> };
}
