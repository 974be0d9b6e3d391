import type { RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { followRoute, routeTemplate } from '../../api/route-template.js';

/** OpenTelemetry's advised buckets for `http.server.request.duration` (seconds). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Where Twilio's webhooks are served. */
const WEBHOOKS_PREFIX = '/webhooks/';

/**
 * Times every HTTP request to the end of its response: `http_server_request_duration_seconds` by method, route
 * template and status (OpenTelemetry's stable HTTP semantic conventions, as Prometheus names them), and Twilio's
 * webhooks once more in `switchboard_webhook_duration_seconds`, the time Twilio waits for our TwiML.
 */
export function requestTimer(registry: Registry): RequestHandler {
  const registers = [registry];
  const requests = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: HTTP_BUCKETS,
    registers,
  });
  const webhooks = new Histogram({
    name: 'switchboard_webhook_duration_seconds',
    help: "Time to answer Twilio's webhooks, by webhook route",
    labelNames: ['http_route', 'http_response_status_code'],
    buckets: HTTP_BUCKETS,
    registers,
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    followRoute(req);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeTemplate(req);
      const status = String(res.statusCode);
      requests.observe({ http_request_method: req.method, http_route: route, http_response_status_code: status }, seconds);
      if (req.originalUrl.startsWith(WEBHOOKS_PREFIX)) webhooks.observe({ http_route: route, http_response_status_code: status }, seconds);
    });
    next();
  };
}
