import type { RequestHandler } from 'express';
import { TwilioError } from '../core/errors.js';
import { sendError } from './errors.js';

/** Form encoding: what Twilio's REST API takes and what its webhooks send. */
export const FORM = 'application/x-www-form-urlencoded';
export const JSON_BODY = 'application/json';

/**
 * Refuses a request whose body is of a type no parser here reads (415, Twilio's error format), so that a body sent as
 * JSON to a form API is never silently ignored and acted on as if empty. Requests without a body pass.
 */
export function acceptBodies(...types: string[]): RequestHandler {
  return (req, res, next) => {
    // `req.is` is null when there is no body at all, false when there is one of another type; an empty body (as
    // clients send on a bodiless POST) has nothing to ignore.
    if (req.get('Content-Length') === '0' || req.is(types) !== false) return next();
    const given = req.get('Content-Type') ?? 'none';
    sendError(res, new TwilioError(20415, 415, `Unsupported Content-Type ${given}: send the body as ${types.join(' or ')}`));
  };
}
