import { ReplyError } from 'ioredis';
import { CommitConflict, serviceUnavailable, type TwilioError } from '../../core/errors.js';
import { FailureThrottle } from '../../telemetry/failure-throttle.js';

/** What a client is told while the store cannot be reached: nothing of the Redis client's own wording. */
export const STORE_UNAVAILABLE = 'The routing store is unavailable; try again shortly';

/** ioredis's errors for a command given up on while the connection was down. */
const OUTAGE_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
/** Socket errors: the server went away or never answered. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** ioredis's plain errors for commands on a connection that closed under them. */
const CLOSED_CONNECTION = /^(Connection is closed|Stream isn't writeable|None of startup nodes is available|Failed to refresh slots cache)/;
/** Redis refusing for a while (out of memory, loading its data, a cluster without a slot's master…), not for good. */
const TRANSIENT_REPLIES = /^(OOM|LOADING|BUSY|READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|NOREPLICAS|MISCONF)\b/;

/**
 * Whether `err`, from a store call, means the store cannot be reached or serve for now (an outage: the API's 503), as
 * opposed to a bug or bad input, which keeps its own error. `connected` is whether the client was ready when the
 * call failed: any failure while it was not is an outage.
 */
export function isOutage(err: unknown, connected: boolean): boolean {
  if (err instanceof CommitConflict) return false;
  if (err instanceof ReplyError) return TRANSIENT_REPLIES.test((err as Error).message);
  if (!connected) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return OUTAGE_ERROR_NAMES.has(err.name) || (typeof code === 'string' && NETWORK_CODES.has(code)) || CLOSED_CONNECTION.test(err.message);
}

/**
 * Turns an outage into the API's 503 with a fixed message, reporting it to the operator through a failure throttle:
 * the first failed call with its cause, then a count per interval (a Redis that is down fails every request, and a
 * stack per request would drown the log), and a line once a call succeeds again. Anything else is rethrown as it is.
 */
export class OutageReporter {
  constructor(private readonly throttle = new FailureThrottle({ message: 'routing store unavailable', level: 'error' })) {}

  /** Rethrows `err`, as a 503 when it is an outage. */
  rethrow(err: unknown, connected: boolean): never {
    if (!isOutage(err, connected)) throw err;
    this.throttle.failed(OUTAGE, err);
    throw outageError();
  }

  /** A call succeeded: an outage being reported is over. */
  readonly passed = <T>(value: T): T => {
    this.throttle.succeeded(OUTAGE);
    return value;
  };
}

/** The throttle's key: the store's connection is one source of failures. */
const OUTAGE = 'store';

function outageError(): TwilioError {
  return serviceUnavailable(STORE_UNAVAILABLE);
}
