import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { onTraceFlush } from './trace-shutdown.js';
import { serviceNameOverride } from './trace-settings.js';

/** Probes answered every few seconds: a span each would drown the traces worth reading. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Query parameters kept out of spans: the instrumentation's own list (signed cloud URLs) plus the tokens some of our
 * URLs carry (media sockets' `Token`, worker tokens).
 */
const REDACTED_QUERY_PARAMS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'token',
  'Token',
  'access_token',
];

/**
 * Starts the OpenTelemetry SDK: spans of incoming and outgoing HTTP, express's routers and handlers, Redis commands,
 * and the engine's own, exported as OTLP JSON over HTTP (OTEL_EXPORTER_OTLP_ENDPOINT, or its `_TRACES_` variant;
 * batching set by OTEL_BSP_*). Metrics and logs stay out of OTLP unless OTEL_METRICS_EXPORTER or OTEL_LOGS_EXPORTER
 * asks for them: the server has its own Prometheus endpoint and JSON logs. Only the tracing preload loads this.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): void {
  const sdk = new NodeSDK({
    serviceName: serviceNameOverride(env),
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]!),
        redactedQueryParams: REDACTED_QUERY_PARAMS,
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
      }),
      // Routers and handlers; a span per middleware (body parsers, auth) would mostly say how long nothing took.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // Command names only: a commit's arguments are whole records, task attributes and all.
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    ],
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();
  onTraceFlush(() => sdk.shutdown());
}
