import type { AddressInfo } from 'node:net';
import { VirtualClock } from './core/clock.js';
import type { SimEnv } from './core/env.js';
import { EventLog, type SimEvent, type SimEventData, type WaitOptions } from './core/events.js';
import { resolveOptions, type ResolvedOptions, type TwilioSimOptions } from './core/options.js';
import type { HttpMethod, RequestPurpose } from './core/types.js';
import { forgeWebhook, type ForgeOptions } from './http/forge.js';
import { sendWebhook, type WebhookResult } from './http/webhook.js';
import { deliverInboundSms, type InboundSmsOptions, type SimSmsExchange } from './messaging/inbound.js';
import { MessageStore, type SimMessage } from './messaging/messages.js';
import { createRestServer, type RestRecord } from './rest/server.js';
import { AgentRegistry, type AgentOptions, type SimAgent } from './voice/agents.js';
import type { SimCall } from './voice/call.js';
import { ConferenceStore, type SimConference } from './voice/conferences.js';
import { QueueStore, type SimQueue } from './voice/queues.js';
import { startInboundCall, type InboundCallOptions } from './voice/start.js';

/** A running simulator. See {@link startTwilioSim}. */
export interface TwilioSim {
  /** Base URL of the REST API (`http://127.0.0.1:PORT`): our server's `TWILIO_API_BASE_URL`. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every call leg so far, in creation order. */
  readonly calls: readonly SimCall[];
  /** Every event of every call and message, in order. */
  readonly events: readonly SimEvent[];
  /** `error` and `twiml-error` events (fetch failures, invalid TwiML, stream protocol errors): should stay empty. */
  readonly errors: readonly SimEvent[];
  /** Valid things the simulator skipped (unsimulated verbs, unregistered endpoints). */
  readonly warnings: readonly SimEvent[];
  /** REST requests served, in order. */
  readonly requests: readonly RestRecord[];
  /** Messages received and sent (REST and `<Message>` replies). */
  readonly messages: readonly SimMessage[];
  readonly queues: readonly SimQueue[];
  readonly conferences: readonly SimConference[];
  /** Simulated epoch milliseconds. */
  now(): number;
  /** A call arrives at one of the account's numbers. */
  inboundCall(options: InboundCallOptions): SimCall;
  /** An SMS/MMS arrives at one of the account's numbers. */
  inboundSms(options: InboundSmsOptions): SimSmsExchange;
  /**
   * Registers (or reconfigures) an endpoint that answers calls: `client:alice`, `+15551234567`,
   * `sip:bob@example.com`. Unregistered addresses behave as `unknownEndpoint` says.
   */
  agent(address: string, options?: AgentOptions): SimAgent;
  call(sid: string): SimCall | undefined;
  /** A queue by SID or friendly name. */
  queue(sidOrName: string): SimQueue | undefined;
  /** Waits for any event (past or future) across the simulator. */
  waitFor<E extends SimEvent = SimEvent>(predicate: ((e: SimEvent) => e is E) | ((e: SimEvent) => boolean), options?: WaitOptions): Promise<E>;
  /** Moves simulated time forward, firing what falls due (the only way time moves at clockSpeed 0). */
  advance(ms: number): Promise<void>;
  /** Changes simulated milliseconds per real millisecond from now on. */
  setClockSpeed(speed: number): void;
  /** Resolves once no request to the application is in flight (callbacks delivered, answers read). */
  quiesce(timeoutMs?: number): Promise<void>;
  /** Sends a Twilio-looking request with a missing or broken signature. */
  forge(options: ForgeOptions): Promise<WebhookResult>;
  /** Ends every live call without further requests, closes streams and the HTTP server. */
  close(): Promise<void>;
}

class SimState implements SimEnv {
  readonly clock: VirtualClock;
  readonly log = new EventLog('simulator');
  readonly errors: SimEvent[] = [];
  readonly warnings: SimEvent[] = [];
  readonly calls = new Map<string, SimCall>();
  readonly queues: QueueStore;
  readonly conferences: ConferenceStore;
  readonly agents: AgentRegistry;
  readonly messages: MessageStore;
  readonly records: RestRecord[] = [];
  closing = false;
  inFlight = 0;
  private seq = 0;
  private readonly logs = new Map<string, EventLog>();
  private readonly pending = new Set<Promise<unknown>>();
  readonly shutdown = new AbortController();

  constructor(readonly options: ResolvedOptions) {
    this.clock = new VirtualClock(options.clockSpeed);
    this.queues = new QueueStore(this.clock);
    this.conferences = new ConferenceStore(this);
    this.agents = new AgentRegistry(this.clock);
    this.messages = new MessageStore(this);
  }

  logOf(sid: string): EventLog {
    let log = this.logs.get(sid);
    if (!log) {
      log = new EventLog(sid);
      this.logs.set(sid, log);
    }
    return log;
  }

  record(sid: string, data: SimEventData): SimEvent {
    const event = { seq: this.seq++, at: this.clock.now(), sid, ...data };
    if (event.type === 'error' || event.type === 'twiml-error') this.errors.push(event);
    if (event.type === 'warning') this.warnings.push(event);
    this.logOf(sid).push(event);
    this.log.push(event);
    return event;
  }

  async webhook(sid: string, purpose: RequestPurpose, method: HttpMethod, url: string, params: Record<string, string>): Promise<WebhookResult> {
    if (this.closing) return { url, status: null, contentType: null, body: '', error: 'simulator closed' };
    this.inFlight++;
    try {
      const result = await sendWebhook({
        url,
        method,
        params,
        authToken: this.options.authToken,
        timeoutMs: this.options.webhookTimeoutMs,
        signal: this.shutdown.signal,
      });
      if (!this.closing) {
        this.record(sid, {
          type: 'request',
          purpose,
          method,
          url: result.url,
          params,
          status: result.status,
          contentType: result.contentType,
          body: result.body,
          ...(result.error !== undefined && { error: result.error }),
        });
        // Twilio's debugger logs every failed request, status callbacks included.
        if (result.status === null || result.status >= 400) {
          this.record(sid, {
            type: 'error',
            code: 11200,
            message: `HTTP retrieval failure: ${method} ${url} ${result.status === null ? `failed (${result.error})` : `answered ${result.status}`}`,
          });
        }
      }
      return result;
    } finally {
      this.inFlight--;
    }
  }

  background(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => {
      if (this.closing) return;
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.errors.push({ seq: this.seq++, at: this.clock.now(), sid: 'simulator', type: 'error', code: 0, message });
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 50))]);
    }
  }
}

/**
 * Starts a Twilio simulator on `127.0.0.1`, port 0: the REST API our server calls, and Twilio's side of calls,
 * queues, conferences, Media Streams and messages, driving our server's webhooks with signed requests.
 *
 * ```ts
 * const sim = await startTwilioSim({ accountSid, authToken });
 * const call = sim.inboundCall({ from: '+14155550100', to: '+14155550199', webhookUrl: `${app}/voice` });
 * call.press('1');
 * await call.waitForStatus('completed');
 * expect(sim.errors).toEqual([]);
 * await sim.close();
 * ```
 */
export async function startTwilioSim(options: TwilioSimOptions): Promise<TwilioSim> {
  const resolved = resolveOptions(options);
  const state = new SimState(resolved);
  const server = createRestServer(state, state.records);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, resolved.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${resolved.host}:${port}`;

  const sim: TwilioSim = {
    url,
    accountSid: resolved.accountSid,
    authToken: resolved.authToken,
    get calls() {
      return [...state.calls.values()];
    },
    get events() {
      return state.log.events;
    },
    get errors() {
      return state.errors;
    },
    get warnings() {
      return state.warnings;
    },
    get requests() {
      return state.records;
    },
    get messages() {
      return state.messages.all;
    },
    get queues() {
      return state.queues.all();
    },
    get conferences() {
      return state.conferences.all();
    },
    now: () => state.clock.now(),
    inboundCall: (o) => startInboundCall(state, o),
    inboundSms: (o) => deliverInboundSms(state, o),
    agent: (address, o) => state.agents.register(address, o),
    call: (sid) => state.calls.get(sid),
    queue: (key) => state.queues.get(key) ?? state.queues.byName(key),
    waitFor: (predicate, o) => state.log.waitFor(predicate, o),
    advance: (ms) => state.clock.advance(ms),
    setClockSpeed: (speed) => state.clock.setSpeed(speed),
    async quiesce(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      // Two consecutive idle observations: a finished request often triggers the next one a tick later.
      let idle = 0;
      while (idle < 2) {
        if (Date.now() > deadline) throw new Error(`requests still in flight after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
        idle = state.inFlight === 0 ? idle + 1 : 0;
      }
    },
    forge: (o) => forgeWebhook(resolved.authToken, resolved.webhookTimeoutMs, o),
    async close() {
      if (state.closing) return;
      state.closing = true;
      state.shutdown.abort();
      for (const call of state.calls.values()) if (!call.ended) call.end('shutdown');
      await state.drain(2000);
      state.clock.dispose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sim;
}
