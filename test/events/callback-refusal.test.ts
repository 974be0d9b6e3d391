import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackUrlPolicy } from '../../src/core/callback-url.js';
import type { CallbackStats } from '../../src/events/delivery.js';
import { jsonReply } from '../helpers/receiver.js';
import { mappedResolver } from '../helpers/mapped-resolver.js';
import { eventsFixture, STORE_KINDS, type EventsFixture } from './fixture.js';

/**
 * Delivery re-checks where a callback goes when it connects. Two names resolve to the receiver on 127.0.0.1: one the
 * allow-list names, one it does not — a host that looked harmless when the URL was accepted and now resolves to
 * loopback. The API accepts both (it judges names by name); only delivery can tell them apart.
 */
describe.each(STORE_KINDS)('Callbacks refused when sent (%s store)', (store) => {
  const resolver = mappedResolver({ 'rebound.example.test': ['127.0.0.1'], 'trusted.example.test': ['127.0.0.1'] });
  let f: EventsFixture;
  beforeAll(async () => {
    f = await eventsFixture({
      store,
      delivery: { callbackUrls: CallbackUrlPolicy.parse('trusted.example.test'), resolve: resolver, assignmentTimeoutMs: 2_000 },
    });
  });
  afterAll(() => f.close());

  /** The receiver's URL for `path` under another host name, same port. */
  const at = (host: string, path: string) => {
    const url = new URL(f.receiver.url(path));
    url.hostname = host;
    return url.toString();
  };
  const change = (before: CallbackStats, after: CallbackStats) => ({
    delivered: after.delivered - before.delivered,
    retried: after.retried - before.retried,
    failed: after.failed - before.failed,
  });

  it('refuses an EventCallbackUrl whose host resolves to a loopback address the allow-list does not name: a failed delivery, not retried', async () => {
    const before = f.delivery.stats().eventCallbacks;
    const w = await f.workspace({ eventCallbackUrl: at('rebound.example.test', '/rebound-events') });
    await w.api.workers.create({ friendlyName: 'agent', activitySid: w.available });
    await f.delivery.idle();

    expect(f.receiver.at('/rebound-events')).toEqual([]);
    expect(resolver.asked).toContain('rebound.example.test');
    const events = await w.api.events.list({ pageSize: 1000 });
    expect(events.length).toBeGreaterThan(0);
    expect(change(before, f.delivery.stats().eventCallbacks)).toEqual({ delivered: 0, retried: 0, failed: events.length });
    expect(f.logged).toContainEqual(
      expect.objectContaining({
        msg: 'EventCallbackUrl: gave up on events',
        workspace_sid: w.ws.sid,
        event_sid: expect.stringMatching(/^EV\w+$/),
        attempts: 1,
        reason: 'refused: rebound.example.test resolves to 127.0.0.1, a loopback address not in the callback allow-list',
      }),
    );
  });

  it('delivers to a host name the allow-list names, at the address it resolves to', async () => {
    const w = await f.workspace({ eventCallbackUrl: at('trusted.example.test', '/trusted-events') });
    await f.delivery.idle();
    const received = f.receiver.at('/trusted-events');
    expect(received.length).toBeGreaterThan(0);
    expect(received[0]!.headers.host).toBe(new URL(at('trusted.example.test', '/')).host);
    expect(received.every((r) => f.signed({ ...r, url: at('trusted.example.test', r.path) }))).toBe(true);
    expect(received.map((r) => r.params.WorkspaceSid)).toContain(w.ws.sid);
  });

  it('refuses a stored URL at an address the policy no longer admits before sending anything', async () => {
    // The API of this server admits loopback; the delivering process was configured without it.
    const before = f.delivery.stats().eventCallbacks;
    const w = await f.workspace({ eventCallbackUrl: f.receiver.url('/stored-events') });
    await f.delivery.idle();
    expect(f.receiver.at('/stored-events')).toEqual([]);
    expect(change(before, f.delivery.stats().eventCallbacks)).toMatchObject({ delivered: 0, retried: 0 });
    expect(f.logged).toContainEqual(
      expect.objectContaining({
        workspace_sid: w.ws.sid,
        attempts: 1,
        reason: 'refused: the URL points at 127.0.0.1, a loopback address not in the callback allow-list',
      }),
    );
  });

  it('turns to the FallbackAssignmentCallbackUrl when the AssignmentCallbackUrl is refused, and carries out its answer', async () => {
    const w = await f.workspace(
      {},
      {
        assignmentCallbackUrl: at('rebound.example.test', '/rebound-assign'),
        fallbackAssignmentCallbackUrl: at('trusted.example.test', '/trusted-assign'),
      },
    );
    f.receiver.answer('/trusted-assign', jsonReply({ instruction: 'accept' }));
    await w.api.workers.create({ friendlyName: 'agent', activitySid: w.available });
    const task = await w.api.tasks.create({ workflowSid: w.workflow.sid, attributes: '{}' });
    await f.delivery.idle();

    expect(f.receiver.at('/rebound-assign')).toEqual([]);
    expect(f.receiver.at('/trusted-assign')).toHaveLength(1);
    expect((await w.api.tasks(task.sid).fetch()).assignmentStatus).toBe('assigned');
    expect(f.logged).toContainEqual(
      expect.objectContaining({
        msg: 'AssignmentCallbackUrl failed; trying the fallback URL',
        workflow_sid: w.workflow.sid,
        reason: 'refused: rebound.example.test resolves to 127.0.0.1, a loopback address not in the callback allow-list',
      }),
    );
  });

  it('counts an AssignmentCallbackUrl refused with no fallback as a failed delivery and leaves the reservation pending', async () => {
    const before = f.delivery.stats().assignmentCallbacks;
    const w = await f.workspace({}, { assignmentCallbackUrl: at('rebound.example.test', '/rebound-only') });
    await w.api.workers.create({ friendlyName: 'agent', activitySid: w.available });
    const task = await w.api.tasks.create({ workflowSid: w.workflow.sid, attributes: '{}' });
    await f.delivery.idle();

    expect(f.receiver.at('/rebound-only')).toEqual([]);
    expect(change(before, f.delivery.stats().assignmentCallbacks)).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect((await w.api.tasks(task.sid).fetch()).assignmentStatus).toBe('reserved');
  });
});
