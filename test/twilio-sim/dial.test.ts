import { afterEach, describe, expect, it } from 'vitest';
import { simClient, simWithApp, voiceResponse } from './fixtures.js';
import type { SimEventOf } from './index.js';

const CALLER = '+14155550100';
const NUMBER = '+12125550199';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function statuses(call: { events: readonly { type: string }[] }): string[] {
  return call.events.filter((e): e is SimEventOf<'status'> => e.type === 'status').map((e) => e.status);
}

describe('dialing agents', () => {
  it('bridges a <Dial><Client>, reports child progress callbacks, and sends the Dial action when the agent hangs up', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          // A long ring timeout: the test answers by hand while simulated time runs at 100x.
          r.dial({ action: '/dial-done', timeout: 600, callerId: '+15550001111' }).client(
            { statusCallback: '/leg-status', statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] },
            'alice',
          );
        }),
      );
      app.post(
        '/dial-done',
        voiceResponse((r) => r.say('The agent left. Goodbye.')),
      );
      app.post('/leg-status', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const { sim, app } = env;
    const alice = sim.agent('client:alice', { answer: 'manual' });

    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    const leg = await alice.nextCall();
    expect(leg.direction).toBe('outbound-dial');
    expect(leg.parentCallSid).toBe(call.sid);
    expect(leg.from).toBe('+15550001111');
    expect(leg.to).toBe('client:alice');
    await leg.waitForStatus('ringing');
    await sim.advance(5_000);
    alice.answer();
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    await sim.advance(42_000);
    alice.hangUp();
    await call.finished;
    await leg.finished;
    await sim.quiesce();

    const action = call.requests('dial-action')[0]!;
    expect(action.params).toMatchObject({
      DialCallStatus: 'completed',
      DialCallSid: leg.sid,
      DialBridged: 'true',
      CallStatus: 'in-progress',
    });
    expect(Number(action.params.DialCallDuration)).toBeGreaterThanOrEqual(42);
    expect(call.heard()).toEqual(['The agent left. Goodbye.']);

    const callbacks = app.at('/leg-status');
    expect(callbacks.map((c) => [c.params.CallStatus, c.params.SequenceNumber])).toEqual([
      ['initiated', '0'],
      ['ringing', '1'],
      ['in-progress', '2'],
      ['completed', '3'],
    ]);
    expect(callbacks.every((c) => c.signatureValid)).toBe(true);
    expect(callbacks[3]!.params).toMatchObject({
      CallSid: leg.sid,
      ParentCallSid: call.sid,
      Direction: 'outbound-dial',
      CallbackSource: 'call-progress-events',
      To: 'client:alice',
    });
    expect(Number(callbacks[3]!.params.CallDuration)).toBeGreaterThanOrEqual(42);
    expect(statuses(leg)).toEqual(['queued', 'initiated', 'ringing', 'in-progress', 'completed']);
    expect(sim.errors).toEqual([]);
  });

  it('reports ringing then no-answer when the agent never picks up', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          r.dial({ action: '/dial-done', timeout: 10 }).client({ statusCallback: '/leg-status', statusCallbackEvent: ['ringing', 'completed'] }, 'alice');
        }),
      );
      app.post(
        '/dial-done',
        voiceResponse((r) => r.say('Nobody answered.')),
      );
      app.post('/leg-status', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const { sim, app } = env;
    sim.agent('client:alice', { answer: 'never' });
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await call.finished;
    await sim.quiesce();
    expect(app.at('/leg-status').map((c) => c.params.CallStatus)).toEqual(['ringing', 'no-answer']);
    const action = call.requests('dial-action')[0]!;
    expect(action.params).toMatchObject({ DialCallStatus: 'no-answer', DialBridged: 'false' });
    expect(action.params.DialCallDuration).toBeUndefined();
    expect(call.heard()).toEqual(['Nobody answered.']);
  });

  it('rings legs together: the first to answer wins, busy and losing legs end', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          const d = r.dial({ action: '/dial-done' });
          d.client('busy-bob');
          d.client('slow-sue');
          d.number('+15557770002');
        }),
      );
      app.post(
        '/dial-done',
        voiceResponse(() => {}),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    sim.agent('client:busy-bob', { answer: 'busy' });
    const sue = sim.agent('client:slow-sue', { answer: 'auto', afterMs: 8000 });
    const phone = sim.agent('+1 (555) 777-0002', { answer: 'auto', afterMs: 1000 });
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    const winner = await phone.nextCall();
    const loser = await sue.nextCall();
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    await loser.finished;
    expect(loser.status).toBe('canceled');
    const busyLeg = sim.calls.find((c) => c.to === 'client:busy-bob')!;
    expect(busyLeg.status).toBe('busy');
    expect(statuses(busyLeg)).not.toContain('ringing');
    call.hangUp();
    await winner.finished;
    expect(winner.status).toBe('completed');
    expect(winner.endedBy).toBe('bridge');
    await call.finished;
    // The caller hung up: the action is still requested (its answer is not run) with the outcome so far.
    expect(call.requests('dial-action')[0]!.params).toMatchObject({
      DialCallStatus: 'completed',
      DialCallSid: winner.sid,
      CallStatus: 'completed',
    });
  });

  it('keeps an answerOnBridge caller ringing until the bridge, and runs a whisper on the agent first', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          r.dial({ answerOnBridge: true }).number({ url: '/whisper' }, '+15557770003');
        }),
      );
      app.post(
        '/whisper',
        voiceResponse((r) => {
          r.gather({ numDigits: 1, action: '/accepted' }).say('Press 1 to take this call.');
          r.hangup();
        }),
      );
      app.post(
        '/accepted',
        voiceResponse((r, params) => {
          if (params.Digits !== '1') r.hangup();
        }),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    sim.agent('+15557770003', { answer: 'auto', afterMs: 3000, onCall: (leg) => leg.press('1') });
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    const leg = await sim.agent('+15557770003').nextCall();
    await leg.waitForStatus('in-progress');
    expect(call.status).toBe('ringing');
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    expect(call.status).toBe('in-progress');
    expect(leg.heard()).toEqual(['Press 1 to take this call.']);
    expect(leg.requests('whisper-url')[0]!.params).toMatchObject({ CallSid: leg.sid, ParentCallSid: call.sid });
    expect(app.at('/accepted')[0]!.params.Digits).toBe('1');
    leg.hangUp();
    await call.finished;
    expect(call.endedBy).toBe('twiml');
    expect(sim.errors).toEqual([]);
  });

  it('treats a whisper that hangs up as a declined call: completed, not bridged', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => r.dial({ action: '/dial-done' }).client({ url: '/screen' }, 'alice')),
      );
      app.post(
        '/screen',
        voiceResponse((r) => r.hangup()),
      );
      app.post(
        '/dial-done',
        voiceResponse(() => {}),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    sim.agent('client:alice');
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await call.finished;
    expect(call.requests('dial-action')[0]!.params).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'false' });
  });

  it('ends the bridge on * with hangupOnStar and when timeLimit runs out', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => r.dial({ action: '/after', hangupOnStar: true }).client('alice')),
      );
      app.post(
        '/limited',
        voiceResponse((r) => r.dial({ action: '/after', timeLimit: 30 }).client('bob')),
      );
      app.post(
        '/after',
        voiceResponse((r) => r.say('Back to the menu.')),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const alice = sim.agent('client:alice', { afterMs: 0 });
    sim.agent('client:bob', { afterMs: 0 });

    const star = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await star.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    // Digits other than * go to the agent and are not left for later Gathers.
    star.press('12');
    star.press('*');
    await star.finished;
    const leg = alice.calls[0]!;
    await leg.finished;
    expect(leg.endedBy).toBe('bridge');
    expect(star.requests('dial-action')[0]!.params.DialCallStatus).toBe('completed');
    expect(star.heard()).toEqual(['Back to the menu.']);
    expect(star.inputs.pending).toBe(0);

    const limited = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/limited` });
    await limited.finished;
    const action = limited.requests('dial-action')[0]!;
    expect(action.params.DialCallStatus).toBe('completed');
    // Simulated time keeps running while the process is busy, so the duration can come out a second long.
    expect(Number(action.params.DialCallDuration)).toBeGreaterThanOrEqual(30);
    expect(Number(action.params.DialCallDuration)).toBeLessThanOrEqual(32);
  });

  it('dials a SIP endpoint, matching the registered address whatever the URI parameters', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          r.dial({ action: '/dial-done' }).sip('sip:Bob@example.com;transport=tls');
        }),
      );
      app.post(
        '/dial-done',
        voiceResponse(() => {}),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const bob = sim.agent('sip:bob@example.com', { afterMs: 500 });
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    const leg = await bob.nextCall();
    expect(leg.to).toBe('sip:Bob@example.com;transport=tls');
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    bob.hangUp();
    await call.finished;
    expect(call.requests('dial-action')[0]!.params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: leg.sid });
  });

  it('fails a dial to an address nobody registered', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => r.dial({ action: '/dial-done' }, '+15559999999')),
      );
      app.post(
        '/dial-done',
        voiceResponse(() => {}),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await call.finished;
    expect(call.requests('dial-action')[0]!.params.DialCallStatus).toBe('failed');
    expect(sim.warnings.length).toBe(1);
  });
});

describe('REST-created calls', () => {
  it('sends initiated, ringing and no-answer status callbacks in sequence', async () => {
    const env = await simWithApp((app) => {
      app.post('/status', (_req, res) => res.status(204).end());
      app.post(
        '/agent-voice',
        voiceResponse(() => {}),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);
    sim.agent('client:alice', { answer: 'never' });
    const created = await client.calls.create({
      to: 'client:alice',
      from: NUMBER,
      url: `${app.url}/agent-voice`,
      timeout: 15,
      statusCallback: `${app.url}/status`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    expect(created.sid).toMatch(/^CA/);
    expect(created.dateCreated).toBeInstanceOf(Date);
    const leg = sim.call(created.sid)!;
    await leg.finished;
    await sim.quiesce();
    const callbacks = app.at('/status');
    expect(callbacks.map((c) => [c.params.CallStatus, c.params.SequenceNumber])).toEqual([
      ['initiated', '0'],
      ['ringing', '1'],
      ['no-answer', '2'],
    ]);
    expect(callbacks[2]!.params).toMatchObject({ CallDuration: '0', Direction: 'outbound-api', To: 'client:alice' });
    expect(app.at('/agent-voice')).toHaveLength(0);
    const fetched = await client.calls(created.sid).fetch();
    expect(fetched.status).toBe('no-answer');
    expect(fetched.endTime).toBeInstanceOf(Date);
    // The request record carries every repeated StatusCallbackEvent.
    const create = sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'))!;
    expect(create.multi.StatusCallbackEvent).toEqual(['initiated', 'ringing', 'answered', 'completed']);
  });

  it('cancels a ringing call and hangs up an answered one through Calls update', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/agent-voice',
        voiceResponse((r) => r.pause({ length: 600 })),
      );
      app.post(
        '/next',
        voiceResponse((r) => {
          r.say('Redirected.');
          r.pause({ length: 600 });
        }),
      );
    });
    cleanup = env.close;
    const { sim, app } = env;
    const client = simClient(sim);
    sim.agent('client:never', { answer: 'never' });
    sim.agent('client:quick', { afterMs: 0 });

    const ringing = await client.calls.create({ to: 'client:never', from: NUMBER, url: `${app.url}/agent-voice` });
    await sim.call(ringing.sid)!.waitForStatus('ringing');
    const canceled = await client.calls(ringing.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');

    const live = await client.calls.create({ to: 'client:quick', from: NUMBER, url: `${app.url}/agent-voice` });
    const leg = sim.call(live.sid)!;
    await leg.waitFor((e) => e.type === 'verb' && e.verb === 'Pause');
    await client.calls(live.sid).update({ url: `${app.url}/next` });
    await leg.waitFor((e) => e.type === 'heard' && e.text === 'Redirected.');
    const ended = await client.calls(live.sid).update({ status: 'completed' });
    expect(ended.status).toBe('completed');
    await leg.finished;
    expect(leg.endedBy).toBe('api');
    await expect(client.calls(live.sid).update({ url: `${app.url}/next` })).rejects.toMatchObject({
      status: 400,
      code: 21220,
    });
  });
});

describe('conferences', () => {
  it('holds early participants on the waitUrl and ends everyone when an endConferenceOnExit participant leaves', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/customer',
        voiceResponse((r) => {
          r.dial({ action: '/after' }).conference(
            {
              startConferenceOnEnter: false,
              waitUrl: '/conf-hold',
              statusCallback: '/conf-status',
              statusCallbackEvent: ['start', 'end', 'join', 'leave'],
            },
            'WT123',
          );
        }),
      );
      app.post(
        '/agent',
        voiceResponse((r) => {
          r.dial().conference({ startConferenceOnEnter: true, endConferenceOnExit: true }, 'WT123');
        }),
      );
      app.post(
        '/conf-hold',
        voiceResponse((r) => r.say('Waiting for an agent.')),
      );
      app.post(
        '/after',
        voiceResponse((r) => r.say('The agent ended the call.')),
      );
      app.post('/conf-status', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const { sim, app } = env;
    const customer = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/customer` });
    await customer.waitForRequest('conference-wait-url');
    const agent = sim.inboundCall({ from: '+14155550177', to: NUMBER, webhookUrl: `${app.url}/agent` });
    await customer.waitFor((e) => e.type === 'conference' && e.phase === 'start');
    const room = sim.conferences[0]!;
    expect(room.sid).toMatch(/^CF[0-9a-f]{32}$/);
    expect(room.participants.size).toBe(2);
    agent.hangUp();
    await customer.finished;
    await sim.quiesce();
    const action = customer.requests('dial-action')[0]!;
    expect(action.params.DialCallStatus).toBe('answered');
    expect(action.params.DialCallSid).toBeUndefined();
    expect(customer.heard()).toContain('Waiting for an agent.');
    expect(customer.heard()).toContain('The agent ended the call.');
    const events = app.at('/conf-status').map((r) => r.params.StatusCallbackEvent);
    expect(events).toEqual(['participant-join', 'participant-join', 'conference-start', 'participant-leave', 'conference-end', 'participant-leave']);
    const end = app.at('/conf-status').find((r) => r.params.StatusCallbackEvent === 'conference-end')!;
    expect(end.params).toMatchObject({
      ConferenceSid: room.sid,
      FriendlyName: 'WT123',
      ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left',
      CallSidEndingConference: agent.sid,
    });
    expect(sim.errors).toEqual([]);
  });
});
