import { describe, expect, it, vi } from 'vitest';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import { MemoryOutbox, type LeftEntry } from '../../src/events/memory-outbox.js';
import { EVENT_CALLBACK_RETRY, retryDelay } from '../../src/events/retry-policy.js';
import { ScriptClock } from '../statistics/fixture.js';
import { eventRecord } from '../store/records.js';

let n = 0;
/** A fresh event of `workspaceSid`, each dated after the last. */
const event = (workspaceSid: string, eventType = 'task.created'): TaskRouterEvent => eventRecord(workspaceSid, ++n, eventType);

describe('MemoryOutbox', () => {
  it("hands out one entry per workspace at a time when in order, each workspace's in arrival order", async () => {
    const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: true });
    const a = [event('WSa'), event('WSa'), event('WSa')];
    const b = [event('WSb')];
    for (const e of [...a, ...b]) outbox.add(e);
    const first = await outbox.take(10);
    expect(first.map((e) => e.event.sid)).toEqual([a[0]!.sid, b[0]!.sid]);
    expect(await outbox.take(10)).toEqual([]);
    await outbox.done(first[0]!.id);
    expect((await outbox.take(10)).map((e) => e.event.sid)).toEqual([a[1]!.sid]);
    expect(await outbox.size()).toBe(3);
  });

  it('drops the oldest entry of a workspace at its limit, leaving other workspaces alone', async () => {
    const drops: number[] = [];
    const outbox = new MemoryOutbox({ limitPerWorkspace: 3, inOrder: false, onDrop: (_ws, count) => drops.push(count) });
    const flood = Array.from({ length: 5 }, () => event('WSa'));
    const calm = event('WSb');
    for (const e of flood) outbox.add(e);
    outbox.add(calm);
    expect(outbox.dropped).toBe(2);
    expect(drops).toEqual([1, 2]);
    expect(outbox.longestBacklog).toBe(3);
    const taken = await outbox.take(10);
    expect(taken.map((e) => e.event.sid).sort()).toEqual([...flood.slice(2).map((e) => e.sid), calm.sid].sort());
  });

  it('sets a retried entry aside until due by its clock, without holding back the entries after it', async () => {
    // The clock stands far from the wall clock, so a retry read against the wall clock would be due at once.
    const clock = new ScriptClock(1_000);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: true, clock });
      const elapse = (ms: number) => {
        clock.advance(ms);
        vi.advanceTimersByTime(ms);
      };
      const [first, second] = [event('WSa'), event('WSa')];
      outbox.add(first);
      outbox.add(second);
      const [taken] = await outbox.take(1);
      await outbox.retryLater(taken!.id, clock.now() + 30_000);
      const [next] = await outbox.take(1);
      expect(next!.event.sid).toBe(second.sid);
      await outbox.done(next!.id);
      expect(await outbox.take(1)).toEqual([]);

      let woken = 0;
      outbox.onReady(() => void (woken += 1));
      elapse(29_999);
      expect(woken).toBe(0);
      expect(await outbox.take(1)).toEqual([]);
      elapse(1);
      expect(woken).toBe(1);
      const [retry] = await outbox.take(1);
      expect(retry).toMatchObject({ attempt: 1, event: { sid: first.sid } });
      await outbox.done(retry!.id);
      expect(await outbox.size()).toBe(0);
      await outbox.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('wakes its takers at once when asked after its clock was moved past a retry, without waiting for its timer', async () => {
    const clock = new ScriptClock(1_000);
    const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: false, clock });
    try {
      outbox.add(event('WSa'));
      const [taken] = await outbox.take(1);
      await outbox.retryLater(taken!.id, clock.now() + 60_000);
      let woken = 0;
      outbox.onReady(() => void (woken += 1));
      outbox.retriesDue();
      expect(woken).toBe(0);
      clock.advance(60_000);
      outbox.retriesDue();
      expect(woken).toBe(1);
      expect(await outbox.take(1)).toMatchObject([{ attempt: 1, event: { sid: taken!.event.sid } }]);
    } finally {
      await outbox.close();
    }
  });

  it('wakes its takers for a retry that falls due while its timer reads the clock', async () => {
    // The timer reads the clock once to see what is due and once to set itself again: a retry falling due in between
    // must not be missed by both. Timers are faked so that only the outbox reads the clock here.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const now = vi.fn(() => 1_000);
    try {
      const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: false, clock: { now } });
      outbox.add(event('WSa'));
      const [taken] = await outbox.take(1);
      await outbox.retryLater(taken!.id, 1_005);
      let woken = 0;
      outbox.onReady(() => void (woken += 1));
      // The timer fires a millisecond early by the clock, which then ticks to the due time.
      let reads = 0;
      now.mockImplementation(() => (reads++ === 0 ? 1_004 : 1_005));
      vi.advanceTimersByTime(5);
      vi.advanceTimersByTime(5);
      expect(woken).toBeGreaterThan(0);
      const [retry] = await outbox.take(1);
      expect(retry).toMatchObject({ attempt: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves at close what is undelivered, in arrival order, and a new outbox takes it over with attempts and due times', async () => {
    const clock = new ScriptClock(1_000);
    let left: LeftEntry[] = [];
    const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: false, clock, leaveBehind: (entries) => (left = entries) });
    const [delivered, retried, outForDelivery, waiting] = [event('WSa'), event('WSa'), event('WSb'), event('WSb')];
    for (const e of [delivered, retried, outForDelivery, waiting]) outbox.add(e);
    const taken = await outbox.take(3);
    await outbox.done(taken.find((e) => e.event.sid === delivered.sid)!.id);
    await outbox.retryLater(taken.find((e) => e.event.sid === retried.sid)!.id, 5_000);
    await outbox.close();
    expect(left).toEqual([
      { event: retried, attempt: 1, dueAt: 5_000 },
      { event: outForDelivery, attempt: 0, dueAt: 0 },
      { event: waiting, attempt: 0, dueAt: 0 },
    ]);

    const next = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: false, clock });
    next.takeOver(left);
    expect(await next.size()).toBe(3);
    // The retry waits for its due time; the first attempts go at once.
    expect((await next.take(10)).map((e) => [e.event.sid, e.attempt])).toEqual([
      [outForDelivery.sid, 0],
      [waiting.sid, 0],
    ]);
    clock.advance(4_000);
    expect((await next.take(10)).map((e) => [e.event.sid, e.attempt])).toEqual([[retried.sid, 1]]);
    await next.close();
  });

  it('serves workspaces in turn', async () => {
    const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: false });
    for (let i = 0; i < 3; i++) outbox.add(event('WSa'));
    outbox.add(event('WSb'));
    const taken = await outbox.take(2);
    expect(taken.map((e) => e.event.workspaceSid)).toEqual(['WSa', 'WSb']);
  });
});

describe('retry delays', () => {
  it('double from the initial delay up to the cap, within ±20%', () => {
    const middle = () => 0.5;
    const delays = Array.from({ length: EVENT_CALLBACK_RETRY.attempts - 1 }, (_, i) => retryDelay(EVENT_CALLBACK_RETRY, i + 1, middle));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
    expect(retryDelay(EVENT_CALLBACK_RETRY, 1, () => 0)).toBe(800);
    expect(retryDelay(EVENT_CALLBACK_RETRY, 1, () => 1)).toBe(1_200);
  });
});
