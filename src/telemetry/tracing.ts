import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/**
 * Spans around engine operations and API handlers. Without an OpenTelemetry SDK registered these are no-ops that
 * cost next to nothing; with one, every routing decision shows up in traces.
 */
const tracer = trace.getTracer('switchboard');

export async function withSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
