import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/engine/clock.js';
import { eventsFixture, type EventsFixture } from '../events/fixture.js';
import { closedPort } from '../helpers/listen.js';

describe('a callback URL that keeps refusing', () => {
  const clock = new AdjustableClock();
  let f: EventsFixture;
  beforeAll(async () => {
    f = await eventsFixture({ clock });
  });
  afterAll(() => f.close());

  it('is logged once with the reason, then as a count per interval, not once per attempt', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/events`;
    const w = await f.workspace({ eventCallbackUrl: url });
    for (let i = 0; i < 5; i++) await w.api.workers.create({ friendlyName: `agent ${i}`, activitySid: w.available });
    await f.delivery.idle();

    const stats = () => f.delivery.stats().eventCallbacks;
    const attempts = () => stats().retried + stats().failed;
    const hostLines = () => f.logged.filter((line) => String(line.msg).startsWith('callback URL failing'));
    const firstAttempts = attempts();
    expect(firstAttempts).toBeGreaterThan(20);
    expect(hostLines()).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'callback URL failing', host: new URL(url).origin, url, reason: 'ECONNREFUSED' }),
    ]);
    // Delivery runs beside the requests whose commits it delivers: its lines name the workspace, not a request.
    expect(hostLines()[0]).not.toHaveProperty('request_id');
    // Each event given up on is counted in the same way, under its workspace.
    expect(f.logged.filter((line) => line.msg === 'EventCallbackUrl: gave up on events' && line.workspace_sid === w.ws.sid)).toHaveLength(1);

    clock.advance(31_000);
    await w.api.workers.create({ friendlyName: 'one more', activitySid: w.available });
    await f.delivery.idle();
    const lines = hostLines();
    expect(lines).toHaveLength(2);
    // The summary came with the first attempt after the interval: every attempt before it, but the first, is counted.
    expect(lines[1]).toMatchObject({ level: 'warn', host: new URL(url).origin, failures: firstAttempts, reason: 'ECONNREFUSED' });
    expect(lines[1]!.interval_s).toBeGreaterThanOrEqual(31);
    expect(lines[1]!.msg).toBe(`callback URL failing: failed ${firstAttempts} times in the last ${lines[1]!.interval_s} s`);
    expect(attempts()).toBeGreaterThan(firstAttempts);
  });
});
