import type { Reservation } from 'twilio-taskrouter';
import { describe, expect, it } from 'vitest';
import type { TwilioSim } from '../twilio-sim/index.js';
import { addWorker, attributes, callerInLine } from '../connector/flow-helpers.js';
import { bothStores } from '../helpers/both-stores.js';
import { eventually, taskIn, useSimulatedTwilio, type ConnectorServer } from '../connector/harness.js';
import { next, readyWorker, SIGNING_KEY } from './sdk-helpers.js';

let sim: TwilioSim;
let server: ConnectorServer;

describe.each(bothStores('sdk-voice'))('a caller bridged to an agent who works in the worker SDK, against the Twilio simulator, on %s', (_name, open) => {
  useSimulatedTwilio({ clockSpeed: 100, startEngine: true, apiKeys: [SIGNING_KEY], store: open }, (twilio) => ({ sim, server } = twilio));

  it('reservationCreated → dequeue from the SDK → the agent answers → accepted → the caller hangs up → wrap-up → completed', async () => {
    sim.agent('client:alice', { answer: 'auto', afterMs: 1000 });
    const { center, number, call, task } = await callerInLine(sim, server);
    const alice = await addWorker(server, center, 'alice', false);
    const worker = await readyWorker(server, center.workspaceSid, alice.sid);

    const offered = next<Reservation>(worker, 'reservationCreated');
    await worker.activities.get(center.available)!.setAsCurrent();
    const reservation = await offered;
    expect(reservation.task.sid).toBe(task.sid);
    expect(reservation.task.attributes).toMatchObject({ call_sid: call.sid, to: number.number });

    const accepted = next(reservation, 'accepted');
    await reservation.dequeue({ postWorkActivitySid: center.wrapUp });
    await accepted;
    await taskIn(server, center, task.sid, 'assigned');
    const agentLeg = sim.calls.find((c) => c.to === 'client:alice')!;
    // The agent's leg is noted on the task by a change of its own, which may come just after the assignment.
    await eventually(async () => {
      const noted = await server.engine.store.get(center.workspaceSid, 'task', task.sid);
      return noted && attributes(noted).worker_call_sid === agentLeg.sid;
    }, "the agent's leg noted on the task");

    const wrapup = next(reservation, 'wrapup');
    call.hangUp();
    await wrapup;
    await eventually(() => worker.activity.sid === center.wrapUp, 'the SDK hearing the post-work activity');
    const completed = next(reservation, 'completed');
    await reservation.task.complete('resolved');
    await completed;
    worker.disconnect();
    await sim.quiesce();
  });
});
