import { isSpanContextValid, trace, TraceFlags, type Link, type SpanContext } from '@opentelemetry/api';

/**
 * A span's context carried by a record (a task, an event), so that what happens to the record later — in another
 * request, a timer, on another instance — can link back to the span that made it: W3C trace context's trace id, span
 * id and flags as 34 base64url characters rather than a 55-character `traceparent`, as it is stored with every event
 * of a traced commit. Internal: never part of what the API or the worker SDK sees.
 */
export type CarriedContext = string;

const BYTES = 25;

/** The context of the span recording now, to carry; undefined when none records (nothing is encoded then). */
export function recordingContext(): CarriedContext | undefined {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  const bytes = Buffer.alloc(BYTES);
  bytes.write(traceId, 0, 16, 'hex');
  bytes.write(spanId, 16, 8, 'hex');
  bytes[24] = traceFlags;
  return bytes.toString('base64url');
}

/** The span context a record carries; undefined when it carries none, or nothing readable. */
export function carriedSpanContext(carried: CarriedContext | undefined): SpanContext | undefined {
  if (carried === undefined) return undefined;
  const bytes = Buffer.from(carried, 'base64url');
  if (bytes.length !== BYTES) return undefined;
  const context: SpanContext = {
    traceId: bytes.toString('hex', 0, 16),
    spanId: bytes.toString('hex', 16, 24),
    traceFlags: bytes[24]! & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(context) ? context : undefined;
}

/** Span links to the contexts carried, leaving out those absent or unreadable. */
export function linksTo(carried: ReadonlyArray<CarriedContext | undefined>): Link[] {
  const links: Link[] = [];
  for (const each of carried) {
    const context = carriedSpanContext(each);
    if (context) links.push({ context });
  }
  return links;
}

/** Marks events being committed with the span committing them, when one records: their deliveries link to it. */
export function markCommitted(events: ReadonlyArray<{ traceContext?: CarriedContext }>): void {
  if (events.length === 0) return;
  const context = recordingContext();
  if (context === undefined) return;
  for (const event of events) event.traceContext = context;
}
