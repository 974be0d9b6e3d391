import { log } from '../telemetry/log.js';

/**
 * An event listener or timer callback that logs what it throws instead of throwing it: an exception thrown into a
 * socket's event emitter or a timer has no caller to catch it, and ends the process. `fields` (the task, the agent)
 * go on the line.
 */
export function guarded<A extends unknown[]>(what: string, listener: (...args: A) => void, fields: Record<string, unknown> = {}): (...args: A) => void {
  return (...args: A) => {
    try {
      listener(...args);
    } catch (err) {
      log.error({ ...fields, err }, `${what} failed`);
    }
  };
}

/** A promise's rejection handler that logs it: an unhandled rejection ends the process. */
export function logFailure(what: string, fields: Record<string, unknown> = {}): (err: unknown) => void {
  return (err) => log.error({ ...fields, err }, `${what} failed`);
}
