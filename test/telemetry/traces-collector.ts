import { jsonReply, startReceiver, type Receiver } from '../helpers/receiver.js';

/** OTLP's span kinds, as numbers in its JSON. */
export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

/** One span as the collector received it, its attributes read into plain values. */
export interface ReceivedSpan {
  service: string;
  scope: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

/** An OTLP/HTTP collector standing in for a real one: it takes `POST /v1/traces` (JSON) and keeps the spans. */
export interface TraceCollector {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  endpoint: string;
  /** Every span received so far. */
  spans(): ReceivedSpan[];
  /** Requests received, whatever their content. */
  readonly requests: number;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{
      scope: { name: string };
      spans: Array<{
        name: string;
        kind: number;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: OtlpAttribute[];
        links?: Array<{ traceId: string; spanId: string }>;
      }>;
    }>;
  }>;
}

function valueOf(value: OtlpValue): unknown {
  if (value.arrayValue) return value.arrayValue.values.map(valueOf);
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue ?? value.doubleValue;
}

function attributesOf(list: OtlpAttribute[] = []): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));
}

export async function startTraceCollector(): Promise<TraceCollector> {
  const receiver: Receiver = await startReceiver();
  receiver.answer('/v1/traces', jsonReply({}));
  const spans = (): ReceivedSpan[] =>
    receiver.at('/v1/traces').flatMap((request) => {
      const body = JSON.parse(request.body) as OtlpExport;
      return body.resourceSpans.flatMap(({ resource, scopeSpans }) => {
        const service = String(attributesOf(resource.attributes)['service.name']);
        return scopeSpans.flatMap(({ scope, spans }) =>
          spans.map((span) => ({
            service,
            scope: scope.name,
            name: span.name,
            kind: span.kind,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            attributes: attributesOf(span.attributes),
            links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
          })),
        );
      });
    });
  return {
    endpoint: receiver.url('').replace(/\/$/, ''),
    spans,
    get requests() {
      return receiver.requests.length;
    },
    close: () => receiver.close(),
  };
}

/** The spans from `span` up to its trace's root, `span` first, as far as the collector has them. */
export function ancestry(spans: readonly ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const chain = [span];
  for (let at = span; at.parentSpanId !== undefined;) {
    const parent = spans.find((s) => s.traceId === at.traceId && s.spanId === at.parentSpanId);
    if (!parent) break;
    chain.push(parent);
    at = parent;
  }
  return chain;
}
