import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { log } from '../../src/telemetry/log.js';
import { inRequest } from '../../src/telemetry/log-context.js';
import { captureLogs, type CapturedLogs } from '../helpers/log-capture.js';

let logs: CapturedLogs;
beforeAll(() => {
  // What the OpenTelemetry SDK registers when it is loaded: a context manager and a tracer provider that records.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider());
  logs = captureLogs('info');
});
afterAll(() => {
  logs.restore();
  trace.disable();
  context.disable();
});

describe('trace correlation', () => {
  it("puts the recording span's trace and span ids on lines written inside it, awaited work included", async () => {
    const tracer = trace.getTracer('logs-test');
    const ids = await tracer.startActiveSpan('outer', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      inRequest('req-1', () => log.info('inside'));
      span.end();
      return span.spanContext();
    });
    log.info('outside');
    expect(logs.lines.find((line) => line.msg === 'inside')).toMatchObject({
      request_id: 'req-1',
      trace_id: ids.traceId,
      span_id: ids.spanId,
      trace_flags: '01',
    });
    expect(logs.lines.find((line) => line.msg === 'outside')).not.toHaveProperty('trace_id');
  });

  it('leaves them out for a span that does not record (sampled out, or only propagated)', () => {
    const remote = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    context.with(trace.setSpan(context.active(), remote), () => log.info('not recorded'));
    const line = logs.lines.find((l) => l.msg === 'not recorded');
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
  });
});
