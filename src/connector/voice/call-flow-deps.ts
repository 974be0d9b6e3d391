import type { RoutingEngine } from '../../engine/engine.js';
import type { ConnectorDirectory } from '../connector-directory.js';
import type { ConnectorState } from '../state/connector-state.js';
import type { TelephonyDeps } from './telephony-deps.js';

/** What the steps of the call flows work with when Twilio asks what a call does next. */
export interface CallFlowDeps {
  engine: RoutingEngine;
  directory: ConnectorDirectory;
  /** What the connector keeps of calls, their queues and agents' legs. */
  state: ConnectorState;
  /** Our externally visible base URL: every webhook URL Twilio is given is built on it. */
  publicUrl: () => string;
  /** The REST side, for steps that move calls (a conference's caller, a caller's queue); null when no calls are placed. */
  telephony: TelephonyDeps | null;
  /** Our Media Streams URL, for calls bridged to browser agents. */
  mediaStreamUrl: () => string;
  /** Signs the parameters that bind a browser agent's stream to its task. */
  authToken: string;
}
