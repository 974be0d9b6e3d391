import type { VirtualClock } from './clock.js';
import type { EventLog, SimEvent, SimEventData } from './events.js';
import type { ResolvedOptions } from './options.js';
import type { HttpMethod, RequestPurpose } from './types.js';
import type { WebhookResult } from '../http/webhook.js';
import type { SimCall } from '../voice/call.js';
import type { QueueStore } from '../voice/queues.js';
import type { ConferenceStore } from '../voice/conferences.js';
import type { AgentRegistry } from '../voice/agents.js';
import type { MessageStore } from '../messaging/messages.js';

/** The simulator's shared state, handed to every part that plays Twilio. */
export interface SimEnv {
  readonly options: ResolvedOptions;
  readonly clock: VirtualClock;
  /** Every event, all calls and messages together. */
  readonly log: EventLog;
  /** `error` and `twiml-error` events: what Twilio's debugger would show. */
  readonly errors: SimEvent[];
  /** `warning` events: valid things the simulator does not emulate. */
  readonly warnings: SimEvent[];
  readonly calls: Map<string, SimCall>;
  readonly queues: QueueStore;
  readonly conferences: ConferenceStore;
  readonly agents: AgentRegistry;
  readonly messages: MessageStore;
  /** True once the simulator is shutting down: no new requests go out. */
  readonly closing: boolean;
  /** Appends an event to the global log and to the log of `sid`. */
  record(sid: string, data: SimEventData): SimEvent;
  /** The event log of one call or message. */
  logOf(sid: string): EventLog;
  /** A signed request to the application, recorded as a `request` event on `sid`. */
  webhook(sid: string, purpose: RequestPurpose, method: HttpMethod, url: string, params: Record<string, string>): Promise<WebhookResult>;
  /** Keeps track of work that outlives the current call stack, so shutdown can wait for it. */
  background(work: Promise<unknown>): void;
}
