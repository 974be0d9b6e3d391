import type { Request, RequestHandler, Response } from 'express';
import { inRequest, requestIdFrom } from '../telemetry/log-context.js';
import { accessLog } from '../telemetry/log.js';
import { scrubbedTarget } from '../telemetry/log-redaction.js';
import { followRoute, routeTemplate, UNMATCHED_ROUTE } from './route-template.js';

/** Carries the request id in and out: a proxy's id is kept, and every answer names the id its log lines carry. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Probes asked every few seconds: their lines are written at debug, so they do not bury the traffic. */
const PROBES = new Set(['/healthz', '/readyz']);

/**
 * Gives every request an id (the client's `X-Request-Id` when sane), returns it in the answer's header, runs the
 * rest of the request in its context so every line logged on its behalf carries it, and writes one access line when
 * the answer is done: method, route template, status and duration, plus the call or message a Twilio webhook is about.
 * Written with the process's logger directly, one line and no per-request child logger: an HTTP logging middleware
 * cost about a tenth of a request's time (docs/performance.md, "The REST path").
 */
export function requestLog(): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    followRoute(req);
    res.once('close', () => writeAccessLine(req, res, requestId, performance.now() - started));
    inRequest(requestId, next);
  };
}

function writeAccessLine(req: Request, res: Response, requestId: string, durationMs: number): void {
  const failed = res.statusCode >= 500;
  const level = failed ? 'error' : PROBES.has(req.url) ? 'debug' : 'info';
  if (!accessLog.isLevelEnabled(level)) return;
  const route = routeTemplate(req);
  const fields: Record<string, unknown> = {
    request_id: requestId,
    method: req.method,
    // A request no route took has no template: its path is the client's choice.
    route: route === UNMATCHED_ROUTE ? undefined : route,
    url: scrubbedTarget(req.originalUrl ?? req.url),
    status: res.statusCode,
    duration_ms: Math.round(durationMs * 100) / 100,
  };
  // The client went away before the answer was written.
  if (!res.writableFinished) fields.aborted = true;
  const body: unknown = req.body;
  if (body && typeof body === 'object') {
    const { CallSid, MessageSid } = body as Record<string, unknown>;
    if (typeof CallSid === 'string') fields.call_sid = CallSid;
    if (typeof MessageSid === 'string') fields.message_sid = MessageSid;
  }
  accessLog[level](fields, failed ? 'request failed' : 'request completed');
}
