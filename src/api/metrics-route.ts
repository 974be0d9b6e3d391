import express, { type Express, type RequestHandler } from 'express';
import { basicAuth, type Credentials } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';

/** Prometheus figures, in the text exposition format. */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
  /** Times every request the app serves. */
  readonly requestTimer: RequestHandler;
}

export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics` on the API's port: the account's Basic pair or an API key's, as the REST API takes (TaskRouter
 * tokens are for a workspace, and the figures cover every workspace). A route of the app's own rather than a router,
 * which every request would enter (docs/performance.md, "The REST path").
 */
export function mountMetrics(app: Express, metrics: MetricsExposition, credentials: Credentials): void {
  app.get(METRICS_PATH, basicAuth(credentials), exposition(metrics));
}

/**
 * The app of the separate metrics port (METRICS_PORT): `GET /metrics` without credentials, nothing else. The port
 * is bound to METRICS_HOST, loopback unless the operator opens it to the scraper's network.
 */
export function metricsApp(metrics: MetricsExposition): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get(METRICS_PATH, exposition(metrics));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function exposition(metrics: MetricsExposition): RequestHandler {
  return async (_req, res) => {
    const body = await metrics.render();
    res.type(metrics.contentType).send(body);
  };
}
