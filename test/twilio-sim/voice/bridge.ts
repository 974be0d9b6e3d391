import type { SimEnv } from '../core/env.js';
import { Scope, deferred, type Deferred } from '../core/scope.js';
import type { SimCall } from './call.js';

/** Why a bridge ended: the leg that left (null when it was torn down from outside, e.g. `timeLimit`). */
export interface BridgeEnd {
  by: SimCall | null;
}

/**
 * Two legs connected to each other (`<Dial>` to a client/number/SIP, or `<Dial><Queue>` taking a waiting caller).
 * Whichever side leaves first ends the bridge; the other side then carries on with its own TwiML.
 *
 * Key presses while bridged are heard by the other party, not by TwiML, so they are consumed here rather than left
 * for a later `<Gather>`; `*` from the leg named in {@link Bridge.hangupOnStar} ends the bridge.
 */
export class Bridge {
  readonly startedAt: number;
  endedAt: number | null = null;
  readonly ended: Deferred<BridgeEnd> = deferred<BridgeEnd>();
  /** The leg whose `*` ends the bridge (`<Dial hangupOnStar="true">`). */
  hangupOnStar: SimCall | null = null;
  private readonly scope = new Scope();

  constructor(
    private readonly env: SimEnv,
    readonly a: SimCall,
    readonly b: SimCall,
  ) {
    this.startedAt = env.clock.now();
    // Connected legs are answered legs: this is where an answerOnBridge caller stops ringing.
    a.answer();
    b.answer();
    a.bridge = this;
    b.bridge = this;
    env.record(a.sid, { type: 'bridge', phase: 'start', otherCallSid: b.sid });
    env.record(b.sid, { type: 'bridge', phase: 'start', otherCallSid: a.sid });
    for (const leg of [a, b]) this.consumeKeys(leg).catch(() => {});
  }

  other(call: SimCall): SimCall {
    return call === this.a ? this.b : this.a;
  }

  get durationSeconds(): number {
    return Math.round(((this.endedAt ?? this.env.clock.now()) - this.startedAt) / 1000);
  }

  end(by: SimCall | null): void {
    if (this.ended.settled) return;
    this.endedAt = this.env.clock.now();
    this.scope.abort({ kind: 'cancel', why: 'bridge ended' });
    for (const leg of [this.a, this.b]) {
      if (leg.bridge === this) leg.bridge = null;
      this.env.record(leg.sid, { type: 'bridge', phase: 'end', otherCallSid: this.other(leg).sid });
    }
    this.ended.resolve({ by });
  }

  private async consumeKeys(leg: SimCall): Promise<void> {
    for (;;) {
      await leg.inputs.whenAvailable(this.scope, this.env.clock, null);
      const input = leg.inputs.shift();
      if (leg === this.hangupOnStar && input?.kind === 'dtmf' && input.digits.includes('*')) this.end(leg);
    }
  }
}
