import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { inRequest, requestIdFrom } from '../telemetry/log-context.js';
import { log } from '../telemetry/log.js';
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
 */
export function requestLog(): RequestHandler {
  const accessLine = (req: IncomingMessage, res: ServerResponse, durationMs: unknown) => ({
    ...accessFields(req as Request, res),
    duration_ms: durationMs,
  });
  const access = pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    // The access line carries its own fields; the request id of lines logged meanwhile comes from the context.
    quietResLogger: true,
    serializers: { req: (req: IncomingMessage) => ({ method: req.method, url: scrubbedTarget(req.url ?? '') }) },
    customAttributeKeys: { responseTime: 'duration_ms' },
    customLogLevel: (req, res, err) => (err || res.statusCode >= 500 ? 'error' : PROBES.has(req.url ?? '') ? 'debug' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, val: Record<string, unknown>) => accessLine(req, res, val.duration_ms),
    customErrorObject: (req, res, _err, val: Record<string, unknown>) => accessLine(req, res, val.duration_ms),
  });
  return (req, res, next) => {
    followRoute(req);
    access(req, res);
    inRequest(String(req.id), next);
  };
}

function accessFields(req: Request, res: ServerResponse): Record<string, unknown> {
  const url = req.originalUrl ?? req.url;
  const route = routeTemplate(req);
  const fields: Record<string, unknown> = {
    request_id: req.id,
    method: req.method,
    // A request no route took has no template: its path is the client's choice.
    route: route === UNMATCHED_ROUTE ? undefined : route,
    url: scrubbedTarget(url),
    status: res.statusCode,
  };
  // The client went away before the answer was written.
  if (!res.writableFinished) fields.aborted = true;
  const body: unknown = req.body;
  if (body && typeof body === 'object') {
    const { CallSid, MessageSid } = body as Record<string, unknown>;
    if (typeof CallSid === 'string') fields.call_sid = CallSid;
    if (typeof MessageSid === 'string') fields.message_sid = MessageSid;
  }
  return fields;
}
