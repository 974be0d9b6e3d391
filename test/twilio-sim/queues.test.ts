import { afterEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { simClient, simWithApp, voiceResponse } from './fixtures.js';
import type { SimEventOf } from './index.js';

const { VoiceResponse } = twilio.twiml;
const NUMBER = '+12125550199';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A support line: callers wait in `support` with a short hold document; the action says goodbye. */
function supportLine(app: import('express').Express, options: { maxQueueSize?: number } = {}): void {
  app.post(
    '/voice',
    voiceResponse((r) => {
      r.enqueue({ waitUrl: '/hold', action: '/done', ...options }, 'support');
      r.say('unreachable: the action takes over');
    }),
  );
  app.post(
    '/hold',
    voiceResponse((r) => r.say('Please hold.')),
  );
  app.post(
    '/done',
    voiceResponse((r) => r.say('Thanks for calling.')),
  );
}

describe('queues', () => {
  it('loops the waitUrl with queue parameters while the caller waits', async () => {
    const env = await simWithApp((app) => supportLine(app));
    cleanup = env.close;
    const { sim, app } = env;

    const first = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await first.waitFor((e) => e.type === 'request' && e.purpose === 'wait-url' && e.params.QueueTime !== '0');
    const second = sim.inboundCall({ from: '+14155550102', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await second.waitForRequest('wait-url');

    const holds = first.requests('wait-url');
    expect(holds.length).toBeGreaterThanOrEqual(2);
    const queue = sim.queue('support')!;
    expect(queue.sid).toMatch(/^QU[0-9a-f]{32}$/);
    expect(holds[0]!.params).toMatchObject({
      QueuePosition: '1',
      QueueSid: queue.sid,
      // Seconds, rounded: at 100x a few real milliseconds of scheduling already count as a simulated second.
      QueueTime: expect.stringMatching(/^\d+$/),
      AvgQueueTime: expect.stringMatching(/^\d+$/),
      CurrentQueueSize: '1',
      MaxQueueSize: '1000',
      CallSid: first.sid,
      CallStatus: 'in-progress',
    });
    expect(Number(holds[holds.length - 1]!.params.QueueTime)).toBeGreaterThan(Number(holds[0]!.params.QueueTime));
    expect(second.requests('wait-url')[0]!.params).toMatchObject({ QueuePosition: '2', CurrentQueueSize: '2' });
    expect(first.heard().filter((h) => h === 'Please hold.').length).toBeGreaterThanOrEqual(2);
    expect(app.at('/hold').every((r) => r.signatureValid)).toBe(true);

    // Hanging up while waiting: the action is requested at once with QueueResult=hangup, its answer not executed.
    first.hangUp();
    await first.finished;
    const done = first.requests('enqueue-action');
    expect(done).toHaveLength(1);
    expect(done[0]!.params).toMatchObject({ QueueResult: 'hangup', QueueSid: queue.sid, CallStatus: 'completed' });
    expect(first.heard()).not.toContain('Thanks for calling.');
    expect(queue.members.map((m) => m.call.sid)).toEqual([second.sid]);
    await second.waitFor((e) => e.type === 'request' && e.purpose === 'wait-url' && e.params.QueuePosition === '1');
    expect(sim.errors).toEqual([]);
  });

  it('dequeues a member through the REST API: action with QueueResult=redirected, then the member runs Url', async () => {
    const env = await simWithApp((app) => {
      supportLine(app);
      app.post(
        '/bridge',
        voiceResponse((r) => r.say('Connecting you now.')),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);

    const a = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    const b = sim.inboundCall({ from: '+14155550102', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await Promise.all([a.waitForRequest('wait-url'), b.waitForRequest('wait-url')]);
    const queue = sim.queue('support')!;

    const members = await client.queues(queue.sid).members.list();
    expect(members.map((m) => [m.callSid, m.position])).toEqual([
      [a.sid, 1],
      [b.sid, 2],
    ]);
    expect(members[0]!.dateEnqueued).toBeInstanceOf(Date);

    const member = await client
      .queues(queue.sid)
      .members(b.sid)
      .update({ url: `${app.url}/bridge`, method: 'POST' });
    expect(member.callSid).toBe(b.sid);
    await b.finished;

    const action = b.requests('enqueue-action')[0]!;
    expect(action.params).toMatchObject({ QueueResult: 'redirected', QueueSid: queue.sid });
    expect(action.params.QueueTime).toMatch(/^\d+$/);
    const bridge = b.requests('redirect')[0]!;
    expect(bridge.url).toBe(`${app.url}/bridge`);
    // The action is requested before the new TwiML is fetched, and its own TwiML is not run.
    expect(action.seq).toBeLessThan(bridge.seq);
    expect(b.heard()).toContain('Connecting you now.');
    expect(b.heard()).not.toContain('Thanks for calling.');
    expect(queue.members.map((m) => m.call.sid)).toEqual([a.sid]);

    // `Front` takes the head of the queue.
    await client
      .queues(queue.sid)
      .members('Front')
      .update({ url: `${app.url}/bridge` });
    await a.finished;
    expect(a.requests('enqueue-action')[0]!.params.QueueResult).toBe('redirected');
    expect(sim.errors).toEqual([]);
  });

  it('bridges the front caller to an agent leg created with <Dial><Queue>, and reports bridged after it ends', async () => {
    const env = await simWithApp((app) => {
      supportLine(app);
      app.post(
        '/about-to-connect',
        voiceResponse((r) => r.say('You will now be connected to an agent.')),
      );
      app.post('/agent-done', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);
    const alice = sim.agent('client:alice', { answer: 'auto', afterMs: 2000 });

    const first = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    const second = sim.inboundCall({ from: '+14155550102', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await Promise.all([first.waitForRequest('wait-url'), second.waitForRequest('wait-url')]);

    const dial = new VoiceResponse();
    dial.dial({ action: `${app.url}/agent-done` }).queue({ url: `${app.url}/about-to-connect` }, 'support');
    const created = await client.calls.create({ to: 'client:alice', from: NUMBER, twiml: dial.toString() });
    expect(created.status).toBe('queued');
    expect(created.direction).toBe('outbound-api');

    const agentLeg = await alice.nextCall();
    expect(agentLeg.sid).toBe(created.sid);
    await first.waitFor((e) => e.type === 'bridge' && e.phase === 'start');

    const announce = first.requests('queue-url')[0]!;
    expect(announce.params).toMatchObject({
      CallSid: first.sid,
      QueueSid: sim.queue('support')!.sid,
      DequeingCallSid: agentLeg.sid,
    });
    expect(first.heard()).toContain('You will now be connected to an agent.');
    expect(agentLeg.events.find((e) => e.type === 'bridge')).toMatchObject({ otherCallSid: first.sid });
    // The second caller moved up but is still waiting.
    expect(sim.queue('support')!.members.map((m) => m.call.sid)).toEqual([second.sid]);
    expect(first.requests('enqueue-action')).toHaveLength(0);

    await sim.advance(30_000);
    alice.hangUp();
    await agentLeg.finished;
    await first.finished;

    const done = first.requests('enqueue-action')[0]!;
    expect(done.params).toMatchObject({ QueueResult: 'bridged', CallStatus: 'in-progress' });
    expect(first.heard()).toContain('Thanks for calling.');
    const dialAction = agentLeg.requests('dial-action')[0]!;
    expect(dialAction.params).toMatchObject({
      DialCallStatus: 'completed',
      DialCallSid: first.sid,
      DialBridged: 'true',
      QueueSid: sim.queue('support')!.sid,
    });
    expect(Number(dialAction.params.DialCallDuration)).toBeGreaterThanOrEqual(30);
    expect(sim.errors).toEqual([]);
  });

  it('ends the agent leg TwiML when the bridged caller hangs up', async () => {
    const env = await simWithApp((app) => {
      supportLine(app);
      app.post(
        '/agent-voice',
        voiceResponse((r) => {
          r.dial().queue('support');
          r.say('The caller hung up.');
        }),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);
    const agent = sim.agent('+15557770001');
    const caller = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await caller.waitForRequest('wait-url');
    await client.calls.create({ to: '+15557770001', from: NUMBER, url: `${app.url}/agent-voice` });
    const leg = await agent.nextCall();
    await caller.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    expect(leg.requests('voice')[0]!.params).toMatchObject({ CallStatus: 'in-progress', Direction: 'outbound-api' });

    caller.hangUp();
    await Promise.all([leg.finished, caller.finished]);
    expect(leg.heard()).toContain('The caller hung up.');
    expect(caller.requests('enqueue-action')[0]!.params.QueueResult).toBe('bridged');
  });

  it('reports queue-full at once and honours <Leave> from the wait document', async () => {
    const env = await simWithApp((app) => {
      supportLine(app, { maxQueueSize: 1 });
      app.post(
        '/leaver',
        voiceResponse((r) => r.enqueue({ waitUrl: '/leave-now', action: '/done' }, 'vip')),
      );
      app.post(
        '/leave-now',
        voiceResponse((r) => {
          r.say('Nobody is available.');
          r.leave();
        }),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const first = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await first.waitForRequest('wait-url');
    const second = sim.inboundCall({ from: '+14155550102', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await second.finished;
    const full = second.requests('enqueue-action')[0]!;
    expect(full.params.QueueResult).toBe('queue-full');
    expect(full.params.QueueSid).toBeUndefined();
    expect(second.heard()).toEqual(['Thanks for calling.']);

    const leaver = sim.inboundCall({ from: '+14155550103', to: NUMBER, webhookUrl: `${app.url}/leaver` });
    await leaver.finished;
    expect(leaver.requests('enqueue-action')[0]!.params).toMatchObject({ QueueResult: 'leave', QueueSid: sim.queue('vip')!.sid });
    expect(leaver.heard()).toEqual(['Nobody is available.', 'Thanks for calling.']);
    expect(sim.queue('vip')!.currentSize).toBe(0);
    first.hangUp();
    await first.finished;
    expect(sim.errors).toEqual([]);
  });

  it('waits on an empty queue until a caller joins, and fails on a queue that does not exist', async () => {
    const env = await simWithApp(
      (app) => {
        supportLine(app);
        app.post(
          '/agent',
          voiceResponse((r) => r.dial({ action: '/agent-done', timeout: 60 }).queue('support')),
        );
        app.post(
          '/nowhere',
          voiceResponse((r) => r.dial({ action: '/agent-done' }).queue('no-such-queue')),
        );
        app.post(
          '/agent-done',
          voiceResponse((r) => r.hangup()),
        );
      },
      { clockSpeed: 0 },
    );
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);
    sim.agent('client:bob', { afterMs: 0 });
    sim.agent('client:carol', { afterMs: 0 });
    // The queue exists once created through the API, still empty.
    await client.queues.create({ friendlyName: 'support' });

    const agentCall = await client.calls.create({ to: 'client:bob', from: NUMBER, url: `${app.url}/agent` });
    const agentLeg = sim.call(agentCall.sid)!;
    await agentLeg.waitFor((e) => e.type === 'dial' && e.phase === 'start');
    await sim.advance(20_000);
    const caller = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await caller.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    caller.hangUp();
    await agentLeg.finished;
    expect(agentLeg.requests('dial-action')[0]!.params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: caller.sid });

    const lost = await client.calls.create({ to: 'client:carol', from: NUMBER, url: `${app.url}/nowhere` });
    const lostLeg = sim.call(lost.sid)!;
    await sim.advance(0);
    await lostLeg.finished;
    expect(lostLeg.requests('dial-action')[0]!.params).toMatchObject({ DialCallStatus: 'failed', DialBridged: 'false' });
  });

  it('redirecting a waiting caller through the Calls API reports QueueResult=redirected', async () => {
    const env = await simWithApp((app) => supportLine(app));
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);
    const caller = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await caller.waitForRequest('wait-url');
    await client.calls(caller.sid).update({ twiml: '<Response><Say>Moved</Say></Response>' });
    await caller.finished;
    expect(caller.requests('enqueue-action')[0]!.params.QueueResult).toBe('redirected');
    expect(caller.heard()).toContain('Moved');
    const leave = caller.events.find((e): e is SimEventOf<'queue'> => e.type === 'queue' && e.phase === 'leave');
    expect(leave?.result).toBe('redirected');
  });

  it('deletes only an empty queue, and a later <Enqueue> of the same name makes a new one', async () => {
    const env = await simWithApp((app) => supportLine(app));
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);

    const caller = sim.inboundCall({ from: '+14155550101', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await caller.waitForRequest('wait-url');
    const queue = sim.queue('support')!;
    // "Only empty queues are deletable": the caller keeps waiting in it.
    await expect(client.queues(queue.sid).remove()).rejects.toMatchObject({ status: 400 });
    expect(sim.queue(queue.sid)).toBe(queue);
    expect(queue.members.map((m) => m.call.sid)).toEqual([caller.sid]);

    caller.hangUp();
    await caller.finished;
    expect(await client.queues(queue.sid).remove()).toBe(true);
    expect(sim.queue(queue.sid)).toBeUndefined();
    await expect(client.queues(queue.sid).remove()).rejects.toMatchObject({ status: 404, code: 20404 });

    // Deleting a queue does not keep another of the same name from being created when a caller is enqueued.
    const next = sim.inboundCall({ from: '+14155550102', to: NUMBER, webhookUrl: `${app.url}/voice` });
    await next.waitForRequest('wait-url');
    const again = sim.queue('support')!;
    expect(again.sid).not.toBe(queue.sid);
    expect(next.requests('wait-url')[0]!.params.QueueSid).toBe(again.sid);
    next.hangUp();
    await next.finished;
    expect(sim.errors).toEqual([]);
  });
});
