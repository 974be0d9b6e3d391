import type { VirtualClock } from '../core/clock.js';
import type { Scope } from '../core/scope.js';

/** Something the party on a leg does, as scripted by the test. */
export type CallerInput =
  | { kind: 'dtmf'; digits: string }
  | { kind: 'speech'; text: string; confidence: number }
  /** Says nothing: the next `<Gather>` times out without waiting out its timeout. */
  | { kind: 'silence' };

/**
 * What the party has done and `<Gather>` has not consumed yet. Key presses queue up like type-ahead on a real phone:
 * a `<Gather numDigits="1">` takes one digit and leaves the rest for the next one.
 */
export class InputQueue {
  private readonly items: CallerInput[] = [];
  private readonly listeners = new Set<() => void>();

  get pending(): number {
    return this.items.length;
  }

  push(input: CallerInput): void {
    this.items.push(input);
    for (const l of [...this.listeners]) l();
  }

  /** The next input without consuming it. */
  peek(): CallerInput | undefined {
    return this.items[0];
  }

  /** Consumes the head entirely. */
  shift(): CallerInput | undefined {
    return this.items.shift();
  }

  /** Consumes `count` digits from a DTMF head, leaving the rest in place. */
  consumeDigits(count: number): void {
    const head = this.items[0];
    if (head?.kind !== 'dtmf') return;
    if (count >= head.digits.length) this.items.shift();
    else this.items[0] = { kind: 'dtmf', digits: head.digits.slice(count) };
  }

  /** Resolves when input is available (immediately if some is), or with false after `ms` simulated milliseconds. */
  async whenAvailable(scope: Scope, clock: VirtualClock, ms: number | null): Promise<boolean> {
    if (this.items.length) return true;
    const local = scope.child();
    try {
      const arrived = new Promise<boolean>((resolve) => {
        const l = () => {
          this.listeners.delete(l);
          resolve(true);
        };
        this.listeners.add(l);
        local.signal.addEventListener('abort', () => this.listeners.delete(l), { once: true });
      });
      const timedOut = ms === null ? new Promise<boolean>(() => {}) : clock.sleep(ms, local.signal).then(() => false);
      return await local.race(Promise.race([arrived, timedOut]));
    } finally {
      local.abort({ kind: 'cancel', why: 'input wait over' });
      local.dispose();
    }
  }
}
