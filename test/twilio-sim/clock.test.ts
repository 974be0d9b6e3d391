import { describe, expect, it } from 'vitest';
import { VirtualClock } from './core/clock.js';

describe('simulated clock', () => {
  it('fires sleeps in order of due time, at their due time, even when the process stalls', async () => {
    const clock = new VirtualClock(100);
    const start = clock.now();
    const fired: [string, number][] = [];
    const long = clock.sleep(8000).then(() => fired.push(['long', clock.now() - start]));
    // Work started in one turn is timed from one reading, however long the turn takes.
    const until = Date.now() + 100;
    while (Date.now() < until) {
      // a stalled process
    }
    const short = clock.sleep(1000).then(() => fired.push(['short', clock.now() - start]));
    await Promise.all([long, short]);
    expect(fired.map(([name]) => name)).toEqual(['short', 'long']);
    // The late timer reads its own due time rather than the moment the stall ended.
    expect(fired[0]![1]).toBeGreaterThanOrEqual(1000);
    clock.dispose();
  });

  it('stands still at speed 0 until advanced, firing what falls due', async () => {
    const clock = new VirtualClock(0, 1_000_000);
    const fired: number[] = [];
    void clock.sleep(5000).then(() => fired.push(clock.now()));
    void clock.sleep(2000).then(() => fired.push(clock.now()));
    await new Promise((r) => setTimeout(r, 30));
    expect(clock.now()).toBe(1_000_000);
    expect(fired).toEqual([]);
    await clock.advance(3000);
    expect(fired).toEqual([1_002_000]);
    await clock.advance(3000);
    expect(fired).toEqual([1_002_000, 1_005_000]);
    expect(clock.now()).toBe(1_006_000);
  });

  it('never reads backwards and rejects aborted sleeps', async () => {
    const clock = new VirtualClock(50);
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('hung up'));
    await expect(sleeping).rejects.toThrow('hung up');
    let previous = clock.now();
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setImmediate(r));
      const now = clock.now();
      expect(now).toBeGreaterThanOrEqual(previous);
      previous = now;
    }
    clock.setSpeed(0);
    const frozen = clock.now();
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now()).toBe(frozen);
    clock.dispose();
  });
});
