import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import { newSid } from '../../src/core/sid.js';
import { decodeEntries, encodeEvents, type StreamEntry } from '../../src/store/redis/event-codec.js';
import { carriedSpanContext, linksTo, markCommitted, recordingContext } from '../../src/telemetry/trace-context.js';
import { eventRecord } from '../store/records.js';

const tracer = () => trace.getTracer('test');

describe('trace context carried by records, without an SDK', () => {
  it('is never computed: no span records', () => {
    const events = [eventRecord(newSid('WS'), 1_000)];
    tracer().startActiveSpan('untraced', (span) => {
      expect(recordingContext()).toBeUndefined();
      markCommitted(events);
      span.end();
    });
    expect(events[0]!.traceContext).toBeUndefined();
  });
});

describe('trace context carried by records, with the SDK', () => {
  const sdk = new NodeSDK({
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
    metricReaders: [],
    logRecordProcessors: [],
    autoDetectResources: false,
  });
  beforeAll(() => sdk.start());
  afterAll(async () => {
    await sdk.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('carries the recording span in 34 characters and reads it back', () => {
    tracer().startActiveSpan('commit', (span) => {
      const carried = recordingContext()!;
      expect(carried).toHaveLength(34);
      const { traceId, spanId, traceFlags } = span.spanContext();
      expect(carriedSpanContext(carried)).toEqual({ traceId, spanId, traceFlags, isRemote: true });
      expect(linksTo([carried, undefined, 'not a context'])).toEqual([{ context: carriedSpanContext(carried) }]);
      span.end();
    });
  });

  it('keeps the committing span with a commit’s events through the Redis stream, relative entries included', () => {
    const ws = newSid('WS');
    const commit: TaskRouterEvent[] = [eventRecord(ws, 1_000), eventRecord(ws, 1_000, 'task.updated'), eventRecord(ws, 1_000, 'task-queue.entered')];
    // The same task in all three: the first two are stored relative to the last.
    for (const event of commit) Object.assign(event, { resourceSid: commit[0]!.resourceSid, data: { ...commit[0]!.data } });
    tracer().startActiveSpan('commit', (span) => {
      markCommitted(commit);
      span.end();
    });
    const carried = commit[0]!.traceContext!;
    expect(commit.every((e) => e.traceContext === carried)).toBe(true);
    const encoded = encodeEvents(commit);
    expect(encoded.map((e) => e.relative)).toEqual([true, true, false]);
    // Only the entry stored whole spends bytes on it.
    expect(encoded.map((e) => e.json.includes(carried))).toEqual([false, false, true]);
    const ids = commit.map((_, i) => `${i + 1}-0`);
    const entries = encoded.map((e, i): StreamEntry => [ids[i]!, e.relative ? ['event', e.json, 'base', ids.at(-1)!] : ['event', e.json]]);
    expect(decodeEntries(ws, entries)).toEqual(commit);
  });
});
