import { afterEach, describe, expect, it, vi } from 'vitest';
import { SnapshotPace } from '../../src/store/journal/snapshot-pace.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Whether `promise` has settled once the microtasks queued so far have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe("a snapshot's pace", () => {
  it('rests after a stretch of work in proportion to it, and no longer than a tenth of a second', async () => {
    vi.useFakeTimers();
    const pace = new SnapshotPace();
    const rest = pace.rest(5, () => false);
    expect(await settled(rest)).toBe(false);
    await vi.advanceTimersByTimeAsync(44);
    expect(await settled(rest)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(rest)).toBe(true);

    const long = pace.rest(1_000, () => false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await settled(long)).toBe(true);
  });

  it('does not rest while the journal closes: shutting down waits for the snapshot', async () => {
    vi.useFakeTimers();
    const pace = new SnapshotPace();
    expect(await settled(pace.rest(50, () => true))).toBe(true);
  });
});
