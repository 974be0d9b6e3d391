import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { TwilioError } from '../core/errors.js';
import { log } from '../telemetry/log.js';
import { sendJson } from './send-json.js';

/** Twilio's error body: `{code, message, more_info, status}`. */
export function sendError(res: Response, error: TwilioError): void {
  sendJson(res, error.status, error.toWire());
}

/** Any route nobody serves: Twilio's 404 body. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, new TwilioError(20404, 404, `The requested resource ${req.path} was not found`));
};

/**
 * The one place errors become HTTP. Typed errors keep their code and status; body-parser failures become 400 or
 * 413; anything else is a 500 whose details stay in the log, never in the response.
 */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof TwilioError) return sendError(res, err);
  const status = httpStatusOf(err);
  if (status === 413) return sendError(res, new TwilioError(20001, 413, 'Request body too large'));
  if (status !== undefined && status >= 400 && status < 500) {
    return sendError(res, new TwilioError(20001, 400, 'The request body could not be parsed'));
  }
  log.error({ err }, 'unhandled API error');
  sendError(res, new TwilioError(20500, 500, 'An internal server error occurred'));
};

function httpStatusOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; statusCode?: unknown };
  const status = e.status ?? e.statusCode;
  return typeof status === 'number' ? status : undefined;
}
