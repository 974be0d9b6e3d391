import { Supervisor, type Reservation, type Worker } from 'twilio-taskrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwilioSim } from '../twilio-sim/index.js';
import { startFixtureApp, voiceResponse, type FixtureApp } from '../twilio-sim/fixtures.js';
import { addWorker, configureNumber } from '../connector/flow-helpers.js';
import {
  createCallCenter,
  eventually,
  onlyTask,
  randomCaller,
  useSimulatedTwilio,
  type CallCenter,
  type ConnectorServer,
  type SimulatedTwilio,
} from '../connector/harness.js';
import { bothStores } from '../helpers/both-stores.js';
import { bridgeOptions, next, readyWorker, sdkToken, SIGNING_KEY } from './sdk-helpers.js';

let sim: TwilioSim;
let server: ConnectorServer;
let twilio: SimulatedTwilio;
/** Where the hold music comes from: a TwiML document Twilio fetches for a held participant. */
let music: FixtureApp;

/** A caller waiting, and `name`'s SDK offered their task; `instruction` connects them (conference or dequeue). */
async function callOffered(center: CallCenter, name: string) {
  const number = await configureNumber(server, center);
  sim.agent(`client:${name}`, { answer: 'auto', afterMs: 500 });
  const agent = await addWorker(server, center, name, false);
  const worker = await readyWorker(server, center.workspaceSid, agent.sid);
  const call = sim.inboundCall({ from: randomCaller(), to: number.number, webhookUrl: `${server.url}/webhooks/voice` });
  const task = await onlyTask(server, center);
  await call.waitForRequest('wait-url');
  const offered = next<Reservation>(worker, 'reservationCreated');
  await worker.activities.get(center.available)!.setAsCurrent();
  return { call, task, worker, agent, reservation: await offered };
}

/** The caller and the agent in the task's conference, as the simulator has it. */
async function conferenceCall(center: CallCenter, name: string) {
  const offered = await callOffered(center, name);
  const accepted = next(offered.reservation, 'accepted');
  await offered.reservation.conference();
  await accepted;
  const room = await eventually(() => sim.conferences.find((c) => c.friendlyName === offered.task.sid && c.participants.size === 2), 'the conference');
  const agentLeg = sim.calls.find((c) => c.to === `client:${name}`)!;
  return { ...offered, room, agentLeg };
}

/** A request as the SDK sends it, with `token`, answered with its status and body. */
async function sdkRequest(url: string, params: Record<string, unknown>, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/v1/wschannels`, { method: 'POST', body: JSON.stringify({ url, method: 'POST', params, token }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function hangUpAll(worker: Worker, ...calls: Array<{ hangUp(): void; ended: boolean }>): Promise<void> {
  for (const call of calls) if (!call.ended) call.hangUp();
  worker.disconnect();
  await sim.quiesce();
}

describe.each(bothStores('sdk-conference'))("the worker SDK's conference calls, against the Twilio simulator, on %s", (_name, open) => {
  useSimulatedTwilio({ clockSpeed: 100, startEngine: true, apiKeys: [SIGNING_KEY], store: open }, (t) => ({ sim, server } = twilio = t));
  beforeAll(async () => {
    music = await startFixtureApp(twilio.authToken, (app) => {
      app.get(
        '/music',
        voiceResponse((r) => r.say('Please hold while we look into it.')),
      );
    });
  });
  afterAll(() => music.close());

  it('a supervisor monitors, muted; the agent holds the caller on the hold URL and takes them back', async () => {
    const center = await createCallCenter(server);
    const { call, task, worker, reservation, room } = await conferenceCall(center, 'alice');

    sim.agent('client:sam', { answer: 'auto', afterMs: 200 });
    const sam = await addWorker(server, center, 'sam', false);
    const supervisor = new Supervisor(
      sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: sam.sid, role: 'admin' }),
      bridgeOptions(server) as object,
    );
    await next(supervisor, 'ready');
    await supervisor.monitor(task.sid, reservation.sid, {});
    const samLeg = await eventually(() => sim.calls.find((c) => c.to === 'client:sam'), 'the supervisor called');
    const monitoring = await eventually(() => room.participants.get(samLeg.sid), 'the supervisor in the conference');
    expect(monitoring.options).toMatchObject({ muted: true, endConferenceOnExit: false });
    expect(room.participants.size).toBe(3);
    const byRest = server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(reservation.sid);
    await expect(byRest.update({ instruction: 'supervise', supervisor: sam.sid, supervisorMode: 'whisper' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/whisper/),
    });
    expect(room.participants.size).toBe(3);
    // Barging in: a second supervisor joins heard.
    sim.agent('client:sue', { answer: 'auto', afterMs: 200 });
    const sue = await addWorker(server, center, 'sue', false);
    await byRest.update({ instruction: 'supervise', supervisor: sue.sid, supervisorMode: 'barge' });
    const sueLeg = await eventually(() => sim.calls.find((c) => c.to === 'client:sue'), 'the second supervisor called');
    const barging = await eventually(() => room.participants.get(sueLeg.sid), 'the second supervisor in the conference');
    expect(barging.options).toMatchObject({ muted: false, endConferenceOnExit: false });
    sueLeg.hangUp();
    await eventually(() => !room.participants.has(sueLeg.sid), 'the second supervisor gone');
    expect(room.status).toBe('in-progress');

    await reservation.task.updateParticipant({ hold: true, holdUrl: `${music.url}/music`, holdMethod: 'GET' });
    expect(room.participants.get(call.sid)!.hold).toBe(true);
    const fetched = await call.waitForRequest('conference-hold-url');
    expect(fetched.method).toBe('GET');
    expect(fetched.url.startsWith(`${music.url}/music?`)).toBe(true);
    await call.waitFor((e) => e.type === 'heard' && e.text === 'Please hold while we look into it.');
    await reservation.task.updateParticipant({ hold: false });
    expect(room.participants.get(call.sid)!.hold).toBe(false);

    supervisor.disconnect();
    samLeg.hangUp();
    await hangUpAll(worker, call);
  });

  it("holds and unholds the agent's own leg, mutes it, and kicks it out of the conference", async () => {
    const center = await createCallCenter(server);
    const { call, worker, agent, reservation, room, agentLeg } = await conferenceCall(center, 'bea');

    await reservation.task.hold(agent.sid, true);
    expect(room.participants.get(agentLeg.sid)!.hold).toBe(true);
    await reservation.task.hold(agent.sid, false);
    expect(room.participants.get(agentLeg.sid)!.hold).toBe(false);

    await reservation.updateParticipant({ mute: true, endConferenceOnExit: false, beepOnExit: false });
    expect(room.participants.get(agentLeg.sid)!.options.muted).toBe(true);

    await reservation.task.kick(agent.sid);
    await agentLeg.finished;
    expect(room.participants.has(agentLeg.sid)).toBe(false);
    expect(room.participants.has(call.sid)).toBe(true);
    await hangUpAll(worker, call);
  });

  it('refuses a worker acting on a task it holds no reservation for (403) and changes nothing', async () => {
    const center = await createCallCenter(server);
    const { call, task, worker, agent, room } = await conferenceCall(center, 'cal');
    const dee = await addWorker(server, center, 'dee', false);
    const before = sim.requests.length;
    const token = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: dee.sid, role: 'worker' });
    const own = await sdkRequest(`v2/Workspaces/${center.workspaceSid}/Workers/${dee.sid}/CustomerParticipant`, { TaskSid: task.sid, Hold: true }, token);
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ code: 20403, status: 403 });
    const theirs = await sdkRequest(
      `v2/Workspaces/${center.workspaceSid}/Workers/${agent.sid}/KickWorkerParticipant`,
      { TaskSid: task.sid, TargetWorkerSid: agent.sid },
      token,
    );
    expect(theirs.status).toBe(403);
    expect(room.participants.get(call.sid)!.hold).toBe(false);
    expect(room.participants.size).toBe(2);
    expect(sim.requests.slice(before).filter((r) => r.path.includes('/Conferences'))).toEqual([]);
    await hangUpAll(worker, call);
  });

  it('answers 400 for a task whose call was dequeued rather than conferenced', async () => {
    const center = await createCallCenter(server);
    const { call, worker, reservation } = await callOffered(center, 'eve');
    const accepted = next(reservation, 'accepted');
    await reservation.dequeue();
    await accepted;
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    const before = sim.requests.length;
    await expect(reservation.task.updateParticipant({ hold: true })).rejects.toThrow(/status code 400.*conference instruction/);
    await expect(reservation.task.kick(reservation.workerSid)).rejects.toThrow(/status code 400/);
    const byRest = server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(reservation.task.sid).reservations(reservation.sid);
    await expect(byRest.update({ instruction: 'supervise', supervisor: reservation.workerSid })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/conference instruction/),
    });
    expect(sim.requests.slice(before).filter((r) => r.path.includes('/Conferences'))).toEqual([]);
    await hangUpAll(worker, call);
  });
});
