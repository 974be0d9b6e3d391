import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { eventually } from '../connector/harness.js';
import { inboundCall } from '../connector/flow-helpers.js';
import { jsonReply, startReceiver, type Receiver } from '../helpers/receiver.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { removeKeys, testRedisUrl } from '../store/redis-test-server.js';
import { ancestry, SpanKind, startTraceCollector, type ReceivedSpan, type TraceCollector } from './traces-collector.js';

const PRELOAD = 'src/telemetry/preload.ts';
const credentials = { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };
const prefix = `sbtest:traces:${randomBytes(4).toString('hex')}:`;
const signingKey = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };

afterAll(() => removeKeys(prefix));

/**
 * A call center on `server`: its workspace (reservation events going to `eventsUrl`), a queue everyone is in, a
 * workflow calling `assignmentUrl`, one worker offline.
 */
async function callCenter(server: ServerProcess, assignmentUrl: string, eventsUrl: string) {
  const ws = await server.client.taskrouter.v1.workspaces.create({
    friendlyName: 'Traced support',
    eventCallbackUrl: eventsUrl,
    eventsFilter: 'reservation.created',
  });
  const tr = server.client.taskrouter.v1.workspaces(ws.sid);
  const available = (await tr.activities.list()).find((a) => a.friendlyName === 'Available')!.sid;
  const queue = await tr.taskQueues.create({ friendlyName: 'Everyone', targetWorkers: '1==1' });
  const workflow = await tr.workflows.create({
    friendlyName: 'Calls',
    configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    assignmentCallbackUrl: assignmentUrl,
  });
  const worker = await tr.workers.create({ friendlyName: 'alice' });
  return { workspaceSid: ws.sid, workflowSid: workflow.sid, workerSid: worker.sid, available };
}

const basicAuth = 'Basic ' + Buffer.from(`${credentials.TWILIO_ACCOUNT_SID}:${credentials.TWILIO_AUTH_TOKEN}`).toString('base64');

/** The one span named `name` whose attribute `key` is `value`, once the collector has it. */
function spanWith(collector: TraceCollector, name: string, key: string, value: unknown): Promise<ReceivedSpan> {
  return eventually(() => collector.spans().find((s) => s.name === name && s.attributes[key] === value), `a ${name} span with ${key}=${String(value)}`);
}

/** The HTTP server span `span` descends from, once the collector has the spans between them. */
function serverSpanAbove(collector: TraceCollector, span: ReceivedSpan): Promise<ReceivedSpan> {
  return eventually(() => ancestry(collector.spans(), span).find((s) => s.kind === SpanKind.SERVER), `the request above ${span.name}`);
}

const linksTo = (span: ReceivedSpan, target: ReceivedSpan) => span.links.some((l) => l.traceId === target.traceId && l.spanId === target.spanId);

describe.each([
  // With Redis a second instance makes the reservation: the task's context reaches it through the store.
  { store: 'Redis', storeEnv: { REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }, instances: 2 },
  { store: 'embedded', storeEnv: {}, instances: 1 },
])('traces with the $store store, exported to an OTLP endpoint', ({ store, storeEnv, instances }) => {
  let collector: TraceCollector;
  let receiver: Receiver;
  let servers: ServerProcess[] = [];
  const env = { ...credentials, ...storeEnv, TWILIO_API_KEYS: `${signingKey.sid}:${signingKey.secret}`, OTEL_BSP_SCHEDULE_DELAY: '50' };

  beforeAll(async () => {
    collector = await startTraceCollector();
    receiver = await startReceiver();
    receiver.answer('/assign', jsonReply({}));
    const start = () => startServerProcess({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint }, { preload: PRELOAD });
    servers = await Promise.all(Array.from({ length: instances }, start));
  }, 30_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await receiver?.close();
    await collector?.close();
  });

  it('follows a call from its webhook to its task, its reservation, the assignment callback and the worker SDK', async () => {
    const server = servers[0]!;
    const center = await callCenter(server, receiver.url('/assign'), receiver.url('/events'));
    const number = `+1800${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const created = await fetch(`${server.url}/v1/Connector/PhoneNumbers`, {
      method: 'POST',
      headers: { Authorization: basicAuth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ number, workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid }),
    });
    expect(created.status).toBe(201);

    // A server-side consumer of the worker SDK's bridge hears every event of the workspace.
    const token = new twilio.jwt.AccessToken(credentials.TWILIO_ACCOUNT_SID, signingKey.sid, signingKey.secret, { identity: 'wallboard' });
    token.addGrant(new twilio.jwt.AccessToken.TaskRouterGrant({ workspaceSid: center.workspaceSid, role: 'admin' }));
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/wschannels?token=${token.toJwt()}`);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(String(data)));
    await eventually(() => frames.some((f) => f.includes('"init"')), 'the bridge greeting its consumer');

    // Twilio's webhook for an inbound call, signed for the URL the server believes it is reached at.
    const params = inboundCall(number);
    const port = new URL(server.url).port;
    const signature = twilio.getExpectedTwilioSignature(credentials.TWILIO_AUTH_TOKEN, `http://localhost:${port}/webhooks/voice`, params);
    const webhook = await fetch(`${server.url}/webhooks/voice`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    expect(webhook.status).toBe(200);
    const tr = server.client.taskrouter.v1.workspaces(center.workspaceSid);
    const [task] = await tr.tasks.list();
    expect(JSON.parse(task!.attributes)).toMatchObject({ call_sid: params.CallSid });

    // The worker becomes available: a reservation, and its assignment callback.
    await servers.at(-1)!.client.taskrouter.v1.workspaces(center.workspaceSid).workers(center.workerSid).update({ activitySid: center.available });
    const callback = await eventually(() => receiver.at('/assign')[0], 'the assignment callback');
    const reservationSid = callback.params.ReservationSid!;
    socket.close();

    // The webhook's server span is an ancestor of the task's creation, with express and Redis spans in its trace.
    const creation = await spanWith(collector, 'engine.createTask', 'switchboard.workspace_sid', center.workspaceSid);
    const webhookSpan = await serverSpanAbove(collector, creation);
    expect(webhookSpan).toMatchObject({ scope: '@opentelemetry/instrumentation-http', service: 'switchboard', traceId: creation.traceId });
    expect(webhookSpan.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/webhooks/voice', 'http.response.status_code': 200 });
    const inWebhookTrace = collector.spans().filter((s) => s.traceId === webhookSpan.traceId);
    expect(inWebhookTrace.some((s) => s.scope === '@opentelemetry/instrumentation-express')).toBe(true);
    if (store === 'Redis') expect(inWebhookTrace.some((s) => s.scope === '@opentelemetry/instrumentation-ioredis')).toBe(true);

    // The reservation is made within the worker's update (with Redis, by the other instance), linked to where its task
    // was created.
    const reserve = await spanWith(collector, 'engine.reserve', 'switchboard.reservation_sid', reservationSid);
    expect(reserve.attributes).toMatchObject({ 'switchboard.task_sid': task!.sid, 'switchboard.worker_sid': center.workerSid });
    expect(linksTo(reserve, creation)).toBe(true);
    const workerUpdate = await serverSpanAbove(collector, reserve);
    expect(workerUpdate.attributes['url.path']).toBe(`/v1/Workspaces/${center.workspaceSid}/Workers/${center.workerSid}`);

    // The assignment callback is sent in a span of its own, linked to the commit that made the reservation, and the
    // request carries that span's context to the receiver.
    const send = await spanWith(collector, 'send assignment-callback', 'switchboard.reservation_sid', reservationSid);
    expect(send).toMatchObject({ kind: SpanKind.PRODUCER, parentSpanId: undefined });
    expect(send.attributes).toMatchObject({
      'messaging.system': 'switchboard',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'assignment-callback',
      'switchboard.task_sid': task!.sid,
      'switchboard.workspace_sid': center.workspaceSid,
    });
    expect(linksTo(send, reserve)).toBe(true);
    expect(callback.headers.traceparent).toBe(`00-${send.traceId}-${send.spanId}-01`);

    // So is the event's delivery to the workspace's EventCallbackUrl.
    const eventCallback = await eventually(() => receiver.at('/events')[0], 'the event callback');
    const sendEvent = await spanWith(collector, 'send event-callback', 'messaging.message.id', eventCallback.params.Sid);
    expect(sendEvent.attributes).toMatchObject({ 'switchboard.reservation_sid': reservationSid, 'switchboard.delivery_attempt': 1 });
    expect(linksTo(sendEvent, reserve)).toBe(true);
    expect(eventCallback.headers.traceparent).toBe(`00-${sendEvent.traceId}-${sendEvent.spanId}-01`);

    // And the reservation's push to the bridge's consumer.
    const push = await eventually(
      () =>
        collector
          .spans()
          .find(
            (s) =>
              s.name === 'send worker-events' &&
              s.attributes['switchboard.event_type'] === 'reservation.created' &&
              s.attributes['switchboard.reservation_sid'] === reservationSid,
          ),
      'the reservation pushed to the bridge',
    );
    expect(push.kind).toBe(SpanKind.PRODUCER);
    expect(linksTo(push, reserve)).toBe(true);
  });
});
