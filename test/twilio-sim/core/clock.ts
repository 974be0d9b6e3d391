import { performance } from 'node:perf_hooks';

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
}

/**
 * Simulated time. Every duration the simulator honours (a `<Pause>`, a `<Gather>` timeout, ringing, hold loops) is
 * measured on this clock, and every timestamp it reports (QueueTime, CallDuration, dates) is read from it, so tests
 * run at machine speed yet see a consistent timeline.
 *
 * `speed` is simulated milliseconds per real millisecond: 1 is wall time, 100 runs a 30-second ring in 300 ms, and
 * 0 freezes time so that only {@link VirtualClock.advance} moves it (fully deterministic tests).
 */
export class VirtualClock {
  private origin: number;
  private realOrigin = performance.now();
  private timers: Timer[] = [];
  private handle: NodeJS.Timeout | null = null;
  private seq = 0;
  private disposed = false;
  /** The latest time handed out, so the clock never reads backwards. */
  private last = -Infinity;
  /** The reading for the current turn of the event loop (see {@link VirtualClock.now}). */
  private turnReading: number | null = null;

  constructor(
    private speedFactor: number,
    startEpochMs = Date.now(),
  ) {
    if (!(speedFactor >= 0) || !Number.isFinite(speedFactor)) throw new RangeError('clock speed must be a finite number >= 0');
    this.origin = startEpochMs;
  }

  /** Simulated milliseconds per real millisecond (0: frozen). */
  get speed(): number {
    return this.speedFactor;
  }

  /** Changes the pace from now on; time already elapsed is kept. */
  setSpeed(speed: number): void {
    if (!(speed >= 0) || !Number.isFinite(speed)) throw new RangeError('clock speed must be a finite number >= 0');
    this.origin = this.now();
    this.realOrigin = performance.now();
    this.speedFactor = speed;
    this.schedule();
  }

  /**
   * Simulated epoch milliseconds. Time stands still within one turn of the event loop (a callback and the promise
   * jobs it sets off) and moves between turns, so work started together is timed together even if the process is
   * descheduled in the middle of it: two legs that start ringing in one turn are due in the order of their delays.
   */
  now(): number {
    if (this.turnReading !== null) return this.turnReading;
    const raw = this.raw();
    if (raw > this.last) this.last = raw;
    this.turnReading = this.last;
    setImmediate(() => {
      this.turnReading = null;
    });
    return this.last;
  }

  private raw(): number {
    return this.origin + (performance.now() - this.realOrigin) * this.speedFactor;
  }

  /** Moves the clock so that it reads `t` now (never backwards past a time already handed out). */
  private setNow(t: number): void {
    const target = Math.max(t, this.last);
    this.origin = target - (performance.now() - this.realOrigin) * this.speedFactor;
    this.last = target;
    if (this.turnReading !== null) this.turnReading = target;
  }

  /** Resolves after `ms` simulated milliseconds; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        due: this.now() + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      this.schedule();
    });
  }

  /**
   * Jumps simulated time forward, firing every timer that falls due in order, and resolves once the work those
   * timers started has had a chance to run.
   */
  async advance(ms: number): Promise<void> {
    const target = this.now() + Math.max(0, ms);
    // Fire timers one at a time so each sees the clock at its own due time, as it would have live.
    for (;;) {
      const next = this.timers[0];
      if (!next || next.due > target) break;
      this.setNow(next.due);
      this.timers.shift();
      next.resolve();
      await settle();
    }
    this.setNow(target);
    this.schedule();
    await settle();
  }

  /** Cancels the pending real timer; pending sleeps never resolve. */
  dispose(): void {
    this.disposed = true;
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
    this.timers = [];
  }

  private schedule(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
    const next = this.timers[0];
    if (!next || this.disposed) return;
    if (this.speedFactor === 0) {
      if (next.due <= this.raw()) this.handle = setTimeout(() => this.fire(), 0);
      return;
    }
    const delay = Math.max(0, (next.due - this.raw()) / this.speedFactor);
    this.handle = setTimeout(() => this.fire(), Math.min(delay, 2 ** 31 - 1));
  }

  private fire(): void {
    this.handle = null;
    const next = this.timers[0];
    if (next && this.raw() >= next.due) {
      // A timer that fires late (busy event loop) fires at its own due time: simulated time is pulled back to it,
      // unless a later time was already handed out. Only that moment's timers fire; later ones get their own turn.
      this.setNow(next.due);
      const now = this.now();
      while (this.timers[0] && this.timers[0].due <= now) this.timers.shift()!.resolve();
    }
    this.schedule();
  }
}

/** Lets promise chains and I/O callbacks that are already due run before continuing. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
