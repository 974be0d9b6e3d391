import type { VirtualClock } from '../core/clock.js';
import { deferred, type Deferred, type Scope } from '../core/scope.js';
import type { SimCall } from './call.js';

/**
 * How an endpoint treats a call offered to it: pick up on its own (`auto`, after `afterMs`), wait for the test to
 * call `answer()`/`decline()` (`manual`), let it ring out (`never`), or refuse it at once (`busy`, `fail`).
 */
export type AnswerMode = 'auto' | 'manual' | 'never' | 'busy' | 'fail';

/** How an endpoint behaves. */
export interface AgentOptions {
  /** Default `auto`. */
  answer?: AnswerMode;
  /** Simulated ringing before an `auto` answer (default 1000). */
  afterMs?: number;
  /** Called with every leg offered to the endpoint, as it starts ringing: script the agent's key presses here. */
  onCall?: (call: SimCall) => void;
}

/** What ringing an endpoint came to. */
export type RingOutcome = 'answered' | 'busy' | 'failed';

/**
 * Canonical form of an address so that `client:alice`, `<Client>alice</Client>`, `+1 (415) 555-0100`,
 * `sip:bob@example.com;transport=tls` and their REST spellings match the same registered endpoint.
 */
export function normalizeAddress(raw: string): string {
  const value = raw.trim();
  if (/^client:/i.test(value)) return `client:${value.slice(7)}`;
  if (/^sips?:/i.test(value)) {
    const rest = value.replace(/^sips?:/i, '');
    return `sip:${rest.split(/[;?]/)[0]!.toLowerCase()}`;
  }
  const digits = value.replace(/[^0-9+]/g, '');
  if (/^\+[0-9]+$/.test(digits)) return digits;
  if (/^[0-9]{10}$/.test(digits)) return `+1${digits}`;
  if (/^1[0-9]{10}$/.test(digits)) return `+${digits}`;
  return value;
}

/** A phone, softphone or SIP device that answers calls the way the test says. */
export class SimAgent {
  /** Every leg offered to this endpoint, in order. */
  readonly calls: SimCall[] = [];
  private mode: AnswerMode;
  private afterMs: number;
  private onCall: AgentOptions['onCall'];
  private readonly pending = new Map<SimCall, Deferred<RingOutcome>>();
  private readonly offerWaiters = new Set<() => void>();
  private handedOut = 0;

  constructor(
    readonly address: string,
    options: AgentOptions,
    private readonly clock: VirtualClock,
  ) {
    this.mode = options.answer ?? 'auto';
    this.afterMs = options.afterMs ?? 1000;
    this.onCall = options.onCall;
  }

  /** Changes how calls offered from now on are treated (a call already ringing keeps its treatment). */
  configure(options: AgentOptions): this {
    if (options.answer) this.mode = options.answer;
    if (options.afterMs !== undefined) this.afterMs = options.afterMs;
    if (options.onCall) this.onCall = options.onCall;
    return this;
  }

  /** The most recent leg that has not ended, if any. */
  get currentCall(): SimCall | undefined {
    return [...this.calls].reverse().find((c) => !c.ended);
  }

  /** Legs ringing right now. */
  get ringing(): SimCall[] {
    return [...this.pending.keys()];
  }

  /**
   * The next offered leg not yet handed out by this method, waiting for one if needed: successive calls return
   * successive legs.
   */
  nextCall(options: { timeoutMs?: number } = {}): Promise<SimCall> {
    const index = this.handedOut++;
    const existing = this.calls[index];
    if (existing) return Promise.resolve(existing);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<SimCall>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.address}: no call #${index + 1} offered within ${timeoutMs} ms`)), timeoutMs);
      const waiter = () => {
        const call = this.calls[index];
        if (!call) return;
        this.offerWaiters.delete(waiter);
        clearTimeout(timer);
        resolve(call);
      };
      this.offerWaiters.add(waiter);
    });
  }

  /** Picks up a ringing leg (the oldest one unless a call SID is given). */
  answer(callSid?: string): SimCall {
    const entry = this.pick(callSid);
    entry[1].resolve('answered');
    return entry[0];
  }

  /** Refuses a ringing leg: Twilio sees `busy`. */
  decline(callSid?: string): SimCall {
    const entry = this.pick(callSid);
    entry[1].resolve('busy');
    return entry[0];
  }

  /** Hangs up the agent's current leg. */
  hangUp(): void {
    const call = this.currentCall;
    if (!call) throw new Error(`${this.address} has no call to hang up`);
    call.hangUp();
  }

  /** @internal The answer that needs no ringing at all (a busy line, an unreachable device). */
  refusal(): Exclude<RingOutcome, 'answered'> | null {
    if (this.mode === 'busy') return 'busy';
    if (this.mode === 'fail') return 'failed';
    return null;
  }

  /** @internal Rings this endpoint with `call`; resolves when it answers or refuses (never, for `never`). */
  async ring(call: SimCall, scope: Scope): Promise<RingOutcome> {
    const outcome = deferred<RingOutcome>();
    this.pending.set(call, outcome);
    this.calls.push(call);
    for (const w of [...this.offerWaiters]) w();
    this.onCall?.(call);
    try {
      if (this.mode === 'auto') {
        this.clock.sleep(this.afterMs, scope.signal).then(
          () => outcome.resolve('answered'),
          () => {},
        );
      }
      return await scope.race(outcome.promise);
    } finally {
      this.pending.delete(call);
    }
  }

  private pick(callSid?: string): [SimCall, Deferred<RingOutcome>] {
    const entry = [...this.pending.entries()].find(([c]) => !callSid || c.sid === callSid);
    if (!entry) throw new Error(`${this.address} has no ringing call${callSid ? ` ${callSid}` : ''}`);
    return entry;
  }
}

/** Registered endpoints by canonical address. */
export class AgentRegistry {
  private readonly agents = new Map<string, SimAgent>();

  constructor(private readonly clock: VirtualClock) {}

  /** Registers an endpoint, or reconfigures it if it exists. */
  register(address: string, options: AgentOptions = {}): SimAgent {
    const key = normalizeAddress(address);
    const existing = this.agents.get(key);
    if (existing) return existing.configure(options);
    const agent = new SimAgent(key, options, this.clock);
    this.agents.set(key, agent);
    return agent;
  }

  find(address: string): SimAgent | undefined {
    return this.agents.get(normalizeAddress(address));
  }

  all(): SimAgent[] {
    return [...this.agents.values()];
  }
}
