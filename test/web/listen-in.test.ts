import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNING_KEY, sdkToken } from '../realtime/sdk-helpers.js';
import { callerWaiting } from '../connector/flow-helpers.js';
import { eventually, taskIn, useSimulatedTwilio, type SimulatedTwilio } from '../connector/harness.js';
import { framesHeard, hears, meterValue, tone } from './audio-helpers.js';
import { FAKE_MEDIA_ARGS, screenshot, useBrowser } from './browser.js';

/**
 * A supervisor listens in on a live call from the wallboard: the Listen socket forks the call in the Twilio
 * simulator, and both sides of it play in Chromium until the supervisor stops or the call ends.
 */
describe('listening in on a live call from the wallboard', () => {
  let twilio!: SimulatedTwilio;
  useSimulatedTwilio({ clockSpeed: 100, startEngine: true, apiKeys: [SIGNING_KEY], sim: { mediaFrameIntervalMs: 20 } }, (t) => (twilio = t));
  const browser = useBrowser({ args: FAKE_MEDIA_ARGS });

  it("plays the caller's side and the agent's side, stops when asked, and says when the call ended", async () => {
    const { sim, server } = twilio;
    const name = `pat${randomBytes(2).toString('hex')}`;
    sim.agent(`client:${name}`, { answer: 'auto', afterMs: 200 });
    const { center, call, task, reservation } = await callerWaiting(sim, server, name);
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(reservation.sid).update({ instruction: 'dequeue' });
    await taskIn(server, center, task.sid, 'assigned');
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');

    const token = sdkToken(server, { workspaceSid: center.workspaceSid, role: 'admin' });
    const page = await browser.open(`${server.url}/wallboard#token=${token}`);
    const row = page.getByRole('row').filter({ hasText: call.from });
    await row.getByRole('button', { name: 'Listen' }).click();
    await row.getByRole('button', { name: 'Stop listening' }).waitFor();

    // The first listener makes the connector fork the call (both tracks) to it.
    const fork = await eventually(() => call.streams.find((s) => !s.spec.bidirectional && s.open), 'the fork of the call');
    expect(fork.spec.track).toBe('both_tracks');
    const meter = `Call audio level of ${task.sid}`;

    // The agent speaks (the outbound track) while the caller is silent: heard on the meter.
    fork.feed('outbound', tone(1));
    await hears(page, meter, 20);
    // Quiet again, then the caller speaks (the inbound track): heard too.
    await expect.poll(() => meterValue(page, meter), { timeout: 10_000 }).toBeLessThan(0.05);
    fork.feed('inbound', tone(20));
    await expect.poll(() => meterValue(page, meter), { timeout: 10_000 }).toBeGreaterThan(0.3);
    await screenshot(page, 'wallboard-listening');

    // Stop listening: the last listener gone, the fork is stopped.
    await row.getByRole('button', { name: 'Stop listening' }).click();
    await row.getByRole('button', { name: 'Listen' }).waitFor();
    await eventually(() => server.connector.media.hub.listenerCount(task.sid) === 0, 'the listener to leave');
    await eventually(() => !fork.open, 'the fork to stop');

    // Listening again until the caller hangs up: the control says the call ended.
    await row.getByRole('button', { name: 'Listen' }).click();
    const again = await eventually(() => call.streams.find((s) => s !== fork && !s.spec.bidirectional && s.open), 'a new fork');
    again.feed('inbound', tone(5));
    await expect.poll(() => framesHeard(page), { timeout: 10_000 }).toBeGreaterThan(10);
    call.hangUp();
    await page.getByRole('status').filter({ hasText: 'The call ended.' }).waitFor();
    await taskIn(server, center, task.sid, 'wrapping');
    await sim.quiesce();
  });

  it("hears a browser agent's call: the agent's microphone from one page plays in the supervisor's, until the agent hangs up", async () => {
    const { sim, server } = twilio;
    const name = `rex${randomBytes(2).toString('hex')}`;
    const { center, call, task, worker, reservation } = await callerWaiting(sim, server, name, { attributes: { contact_uri: `stream:${name}` } });
    const agent = await browser.open(
      `${server.url}/agent#token=${sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: worker.sid, role: 'worker' })}`,
    );
    await agent.getByRole('status').filter({ hasText: 'Phone ready' }).waitFor();
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(reservation.sid).update({ instruction: 'dequeue' });
    await agent.getByRole('button', { name: 'Hang up' }).waitFor();
    await taskIn(server, center, task.sid, 'assigned');

    const supervisor = await browser.open(`${server.url}/wallboard#token=${sdkToken(server, { workspaceSid: center.workspaceSid, role: 'admin' })}`);
    const row = supervisor.getByRole('row').filter({ hasText: call.from });
    await row.getByRole('button', { name: 'Listen' }).click();
    // The caller is silent: what the supervisor hears is the agent's (fake, beeping) microphone, through the bridge.
    await hears(supervisor, `Call audio level of ${task.sid}`, 50);
    expect(call.streams.filter((s) => !s.spec.bidirectional)).toEqual([]);

    await agent.getByRole('button', { name: 'Hang up' }).click();
    await supervisor.getByRole('status').filter({ hasText: 'The call ended.' }).waitFor();
    await call.waitForStatus('completed');
    await sim.quiesce();
  });
});
