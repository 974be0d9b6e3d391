import { SpanStatusCode, trace, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';

/**
 * Spans around engine operations and API handlers. Without an OpenTelemetry SDK registered these are no-ops that
 * cost next to nothing; with one, every routing decision shows up in traces.
 */
const tracer = trace.getTracer('switchboard');

/**
 * Runs `fn` in a span of its own, active while it runs and ended when it settles (in error when it throws); `options`
 * adds links or a kind.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, options?: SpanOptions): Promise<T> {
  return tracer.startActiveSpan(name, options ? { ...options, attributes } : { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Whether a span is recording now: work done only for traces (encoding contexts, gathering links) is skipped when not. */
export function isTracing(): boolean {
  return trace.getActiveSpan()?.isRecording() ?? false;
}
