import type { FetchTarget, HangupSource } from './types.js';

/** What stops a call's current work. */
export type Interrupt =
  /** The leg ended. */
  | { kind: 'hangup'; by: HangupSource }
  /** The leg must drop what it is doing and run other TwiML (REST `Calls` update, queue member update). */
  | { kind: 'redirect'; target: FetchTarget }
  /** An inner activity ended for a local reason (a hold loop stopped because the caller was dequeued). */
  | { kind: 'cancel'; why: string };

/** Thrown out of every wait when the surrounding {@link Scope} is interrupted. */
export class InterruptError extends Error {
  constructor(readonly interrupt: Interrupt) {
    super(`interrupted: ${interrupt.kind}${interrupt.kind === 'cancel' ? ` (${interrupt.why})` : ''}`);
    this.name = 'InterruptError';
  }
}

/**
 * A cancellable region of a call's life. Interrupting a scope interrupts its children, so a hangup reaches the
 * innermost wait (a hold-music pause inside a waitUrl loop inside an `<Enqueue>`) and each layer can react on the way
 * out: the `<Enqueue>` layer reports `QueueResult=hangup`, the `<Dial>` layer its action, and so on.
 */
export class Scope {
  private readonly controller = new AbortController();
  private readonly detach: () => void;

  constructor(parent?: Scope) {
    if (!parent) {
      this.detach = () => {};
      return;
    }
    if (parent.aborted) {
      this.controller.abort(parent.signal.reason);
      this.detach = () => {};
      return;
    }
    const onAbort = () => this.controller.abort(parent.signal.reason);
    parent.signal.addEventListener('abort', onAbort, { once: true });
    this.detach = () => parent.signal.removeEventListener('abort', onAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** Why the scope was interrupted, once it was. */
  get interrupt(): Interrupt | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof InterruptError ? reason.interrupt : undefined;
  }

  /** A scope that ends with this one, or earlier on its own. */
  child(): Scope {
    return new Scope(this);
  }

  abort(interrupt: Interrupt): void {
    if (!this.aborted) this.controller.abort(new InterruptError(interrupt));
  }

  /** Stops listening to the parent; call when the region is over. */
  dispose(): void {
    this.detach();
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.controller.signal.reason;
  }

  /** Waits for `promise` unless the scope is interrupted first. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.aborted) return Promise.reject(this.controller.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.controller.signal.reason);
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (v) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }
}

/** Whether an error is a scope interruption (as opposed to a fault). */
export function isInterrupt(err: unknown): err is InterruptError {
  return err instanceof InterruptError;
}

/** A promise with its settle functions exposed. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
  settled: boolean;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be listening yet; an unobserved rejection must not crash the test process.
  promise.catch(() => {});
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve: (v) => {
      if (d.settled) return;
      d.settled = true;
      resolve(v);
    },
    reject: (e) => {
      if (d.settled) return;
      d.settled = true;
      reject(e);
    },
  };
  return d;
}
