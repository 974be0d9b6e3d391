/**
 * Typed errors carrying Twilio's numeric error codes. The HTTP mapping (status, body shape) happens once, in the
 * API error handler; everything below the API throws these.
 */
export class TwilioError extends Error {
  constructor(
    /** Twilio error code, e.g. 20404. */
    readonly code: number,
    /** HTTP status the API answers with. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioError';
  }

  get moreInfo(): string {
    return `https://www.twilio.com/docs/errors/${this.code}`;
  }

  /** Twilio's error body: `{code, message, more_info, status}`. */
  toWire(): { code: number; message: string; more_info: string; status: number } {
    return { code: this.code, message: this.message, more_info: this.moreInfo, status: this.status };
  }
}

/** A parameter is missing, malformed or out of range; or the requested transition is not allowed. */
export function badRequest(message: string, code = 20001): TwilioError {
  return new TwilioError(code, 400, message);
}

export function notFound(message: string): TwilioError {
  return new TwilioError(20404, 404, message);
}

export function unauthorized(message = 'Authentication Error - invalid username'): TwilioError {
  return new TwilioError(20003, 401, message);
}

/** A valid credential asking for what it may not touch. */
export function forbidden(message: string): TwilioError {
  return new TwilioError(20403, 403, message);
}

export function preconditionFailed(message: string): TwilioError {
  return new TwilioError(20412, 412, message);
}

export function serviceUnavailable(message: string): TwilioError {
  return new TwilioError(20503, 503, message);
}

export function tooManyRequests(message: string): TwilioError {
  return new TwilioError(20429, 429, message);
}

/**
 * A compare-and-commit lost a race: the state it was computed from changed underneath. Internal only: the engine
 * retries on it; it reaches a client only if retries are exhausted (then as 503).
 */
export class CommitConflict extends Error {
  constructor(readonly detail: string) {
    super(`commit conflict: ${detail}`);
    this.name = 'CommitConflict';
  }
}
