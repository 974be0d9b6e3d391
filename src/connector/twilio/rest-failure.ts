import { TwilioError } from '../../core/errors.js';

/**
 * A failed Twilio REST call as the error our API answers with: Twilio's own code and message for a request Twilio
 * refused (4xx: a bad number, an unknown call), a 502 for Twilio failing or not answering. Either way the
 * instruction stops before the reservation changes.
 */
export function restFailure(action: string, err: unknown): TwilioError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    const code = typeof e.code === 'number' ? e.code : 20001;
    return new TwilioError(code, 400, `Twilio refused to ${action}: ${message}`);
  }
  return new TwilioError(20500, 502, `Twilio could not ${action}: ${message}`);
}

/** Runs a Twilio REST call, turning its failure into a `restFailure`. */
export async function twilioRest<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw restFailure(action, err);
  }
}
