import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SimCall, TwilioSim } from '../twilio-sim/index.js';
import { callerWaiting } from './flow-helpers.js';
import { eventually, taskIn, type ConnectorServer, useSimulatedTwilio } from './harness.js';

/**
 * An agent's phone rings for a reservation: when the reservation ends before they answer — the caller hangs up, it
 * times out, the task is canceled — the ringing leg is canceled through the Calls API at once, rather than ringing
 * on until the agent picks up to hear that nobody is waiting.
 */
let sim: TwilioSim;
let server: ConnectorServer;
useSimulatedTwilio({ clockSpeed: 10, startEngine: true }, (twilio) => ({ sim, server } = twilio));

/** A caller waiting on a fresh center, and an agent whose phone is ringing for their reservation (never answered). */
async function ringingAgent(options: { reservationTimeout?: number; instruction?: 'dequeue' | 'conference' } = {}) {
  const name = `ring${randomBytes(3).toString('hex')}`;
  const phone = sim.agent(`client:${name}`, { answer: 'manual' });
  const { center, call, task, reservation } = await callerWaiting(sim, server, name, { reservationTimeout: options.reservationTimeout });
  // Rings for ten simulated minutes (a real minute) unless canceled: far beyond the test.
  const params = options.instruction === 'conference' ? { instruction: 'conference', timeout: 600 } : { instruction: 'dequeue', dequeueTimeout: 600 };
  await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(reservation.sid).update(params);
  const leg = await phone.nextCall();
  await leg.waitForStatus('ringing');
  return { center, call, task, reservation, leg };
}

/** The leg ended canceled without being answered, by a Calls update asking for that. */
async function canceledUnanswered(leg: SimCall): Promise<void> {
  await leg.waitForStatus('canceled');
  expect(leg.answered).toBe(false);
  // The simulator files a request once it has answered it.
  await eventually(
    () => sim.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${leg.sid}.json`) && r.params.Status === 'canceled'),
    'the Calls update',
  );
}

describe('ringing agents', () => {
  it('are canceled when the caller hangs up', async () => {
    const { center, call, task, reservation, leg } = await ringingAgent();
    call.hangUp();
    await taskIn(server, center, task.sid, 'canceled');
    await canceledUnanswered(leg);
    expect((await server.engine.store.get(center.workspaceSid, 'reservation', reservation.sid))!.status).toBe('canceled');
    await sim.quiesce();
  });

  it('are canceled when the reservation times out, and the caller stays in line', async () => {
    const { center, call, task, reservation, leg } = await ringingAgent({ reservationTimeout: 1 });
    await eventually(
      async () => (await server.engine.store.get(center.workspaceSid, 'reservation', reservation.sid))?.status === 'timeout',
      'the reservation timeout',
    );
    await canceledUnanswered(leg);
    expect(call.ended).toBe(false);
    expect((await server.engine.store.get(center.workspaceSid, 'task', task.sid))!.assignmentStatus).toMatch(/pending|reserved/);
    call.hangUp();
    await taskIn(server, center, task.sid, 'canceled');
    await sim.quiesce();
  });

  it('are canceled when the task is canceled, for a conference too', async () => {
    const { center, call, task, leg } = await ringingAgent({ instruction: 'conference' });
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).update({ assignmentStatus: 'canceled', reason: 'resolved elsewhere' });
    await canceledUnanswered(leg);
    call.hangUp();
    await call.finished;
    await sim.quiesce();
  });
});
