import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNING_KEY, sdkToken } from '../realtime/sdk-helpers.js';
import { addWorker, callerWaiting } from '../connector/flow-helpers.js';
import { createCallCenter, eventually, taskIn, useSimulatedTwilio, type SimulatedTwilio } from '../connector/harness.js';
import { agentStream, AUDIBLE, hears, peak, tone } from './audio-helpers.js';
import { FAKE_MEDIA_ARGS, screenshot, useBrowser } from './browser.js';

/**
 * The agent desktop's softphone against the Twilio simulator: a worker whose contact is `stream:<identity>` takes a
 * caller in Chromium, whose fake microphone beeps. Audio goes both ways through the simulator's media frames.
 */
describe('the softphone on the agent desktop', () => {
  let twilio!: SimulatedTwilio;
  useSimulatedTwilio({ clockSpeed: 100, startEngine: true, apiKeys: [SIGNING_KEY], sim: { mediaFrameIntervalMs: 20 } }, (t) => (twilio = t));
  const browser = useBrowser({ args: FAKE_MEDIA_ARGS });

  it('answers a caller bridged to the browser: the caller heard on the meter, the microphone heard by the caller, mute and hang up', async () => {
    const { sim, server } = twilio;
    const name = `amy${randomBytes(2).toString('hex')}`;
    const { center, call, task, worker, reservation } = await callerWaiting(sim, server, name, { attributes: { contact_uri: `stream:${name}` } });
    const token = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: worker.sid, role: 'worker' });
    const page = await browser.open(`${server.url}/agent#token=${token}`);
    await page.getByRole('status').filter({ hasText: 'Phone ready' }).waitFor();
    await eventually(() => server.connector.media.agents.get(name) !== null, 'the browser agent connected');

    // Offered to the agent, the call is bridged to the browser: the reservation is accepted as the stream starts.
    await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(task.sid)
      .reservations(reservation.sid)
      .update({ instruction: 'dequeue', dequeueTo: `stream:${name}`, dequeuePostWorkActivitySid: center.wrapUp });
    const stream = await agentStream(call);
    await taskIn(server, center, task.sid, 'assigned');
    const onCall = page.getByRole('region', { name: 'Phone' });
    await onCall.getByRole('status').filter({ hasText: 'On a call' }).waitFor();
    await onCall.getByText(`Call with ${call.from}`).waitFor();

    // The caller speaks: the page receives the frames and plays them; its meter moves.
    stream.feed('inbound', tone(20));
    await hears(page, "Caller's audio level", 25);

    // The agent's microphone reaches the caller as audible μ-law.
    await expect.poll(() => peak(stream.receivedAudio), { timeout: 10_000 }).toBeGreaterThan(AUDIBLE);

    // Muted, the microphone goes on sending frames, all silent: two and a half seconds of them, once any in flight are by.
    await onCall.getByRole('button', { name: 'Mute' }).click();
    await onCall.getByRole('button', { name: 'Unmute' }).waitFor();
    const mutedAt = stream.receivedAudio.length;
    await eventually(() => stream.receivedAudio.length >= mutedAt + 28_000, 'three and a half seconds of frames since', 15_000);
    expect(peak(stream.receivedAudio.subarray(mutedAt + 8000, mutedAt + 28_000))).toBeLessThan(AUDIBLE);
    await onCall.getByRole('button', { name: 'Unmute' }).click();
    const unmutedAt = stream.receivedAudio.length;
    await expect.poll(() => peak(stream.receivedAudio.subarray(unmutedAt)), { timeout: 10_000 }).toBeGreaterThan(AUDIBLE);
    await screenshot(page, 'softphone-on-a-call');

    // Hang up: the caller is hung up on, the task wraps up, and the phone is ready for the next call.
    await onCall.getByRole('button', { name: 'Hang up' }).click();
    await call.waitForStatus('completed');
    await taskIn(server, center, task.sid, 'wrapping');
    await onCall.getByRole('status').filter({ hasText: 'Phone ready' }).waitFor();
    expect(await onCall.getByRole('button', { name: 'Hang up' }).count()).toBe(0);
    await sim.quiesce();
  });

  describe('for an agent whose calls ring elsewhere', () => {
    // The desktop knows the worker's contact: the phone asks the server for nothing (no refused request is logged).
    const refusing = useBrowser();

    it('says that this browser takes no calls (a client: contact), and opens no audio socket', async () => {
      const { server } = twilio;
      const center = await createCallCenter(server);
      const name = `ivy${randomBytes(2).toString('hex')}`;
      const worker = await addWorker(server, center, name, true);
      const token = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: worker.sid, role: 'worker' });
      const page = await refusing.open(`${server.url}/agent#token=${token}`);
      const phone = page.getByRole('region', { name: 'Phone' });
      await phone
        .getByRole('status')
        .filter({ hasText: /Calls do not ring in this browser: .*contact_uri is not stream:<identity>/ })
        .waitFor();
      expect(await phone.getByRole('status').filter({ hasText: 'Phone ready' }).count()).toBe(0);
      expect(server.connector.media.agents.get(name)).toBeNull();
    });
  });
});
