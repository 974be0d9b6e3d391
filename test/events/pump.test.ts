import { afterEach, describe, expect, it } from 'vitest';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import { memoryLogger } from '../helpers/log-capture.js';
import { MemoryOutbox } from '../../src/events/memory-outbox.js';
import type { OutboxEntry } from '../../src/events/outbox.js';
import { OutboxPump, type DeliveryOutcome } from '../../src/events/pump.js';
import type { RetryPolicy } from '../../src/events/retry-policy.js';
import { ScriptClock } from '../statistics/fixture.js';
import { eventRecord } from '../store/records.js';

/** A minute, then two: far longer than a test runs, so only moving the clock brings a retry due. */
const RETRY: RetryPolicy = { attempts: 3, initialDelayMs: 60_000, maxDelayMs: 120_000 };

const event: TaskRouterEvent = eventRecord('WSa', 0);

const running: Array<{ pump: OutboxPump; outbox: MemoryOutbox }> = [];
afterEach(async () => {
  for (const { pump, outbox } of running.splice(0)) {
    await pump.stop();
    await outbox.close();
  }
});

/**
 * A pump on an in-process outbox, both on a stopped clock, delivering with `outcomes` in turn. Each attempt is
 * recorded with the clock's time and the attempt number it carried.
 */
function pumping(outcomes: DeliveryOutcome[]) {
  const clock = new ScriptClock(1_000_000);
  const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: true, clock });
  const attempts: Array<{ at: number; attempt: number }> = [];
  const { logger, lines: warnings } = memoryLogger('warn');
  const deliver = async (entry: OutboxEntry): Promise<DeliveryOutcome> => {
    attempts.push({ at: clock.now(), attempt: entry.attempt });
    return outcomes[attempts.length - 1] ?? 'delivered';
  };
  const pump = new OutboxPump(outbox, deliver, { name: 'EventCallbackUrl', concurrency: 4, retry: RETRY, clock, logger });
  running.push({ pump, outbox });
  pump.start();
  /**
   * Resolves at the outbox's next signal. Asked for right after an entry was added or woken (which signal at once),
   * that is the attempt they started settling: set aside for a retry, or done.
   */
  const settled = () =>
    new Promise<void>((resolve) => {
      const stop = outbox.onReady(() => {
        stop();
        resolve();
      });
    });
  /** Moves the clock past the longest wait the policy allows and runs what is due, as the retry timer would. */
  const waitOutBackoff = () => {
    clock.advance(RETRY.maxDelayMs * 1.2);
    outbox.retriesDue();
  };
  return { clock, outbox, pump, attempts, warnings, settled, waitOutBackoff };
}

describe('OutboxPump', () => {
  it('tries a failed delivery again once the backoff has passed on its clock, with one more attempt counted', async () => {
    const p = pumping([{ failed: 'HTTP 500' }, 'delivered']);
    p.outbox.add(event);
    await p.settled();
    expect(p.attempts).toEqual([{ at: 1_000_000, attempt: 0 }]);
    expect(p.pump.stats()).toMatchObject({ retried: 1, delivered: 0 });

    // Until the clock moves, nothing is due however often the outbox is asked.
    p.outbox.retriesDue();
    expect(await p.outbox.take(1)).toEqual([]);
    p.waitOutBackoff();
    await p.pump.idle();
    expect(p.attempts).toEqual([
      { at: 1_000_000, attempt: 0 },
      { at: 1_000_000 + RETRY.maxDelayMs * 1.2, attempt: 1 },
    ]);
    expect(p.pump.stats()).toMatchObject({ retried: 1, delivered: 1, failed: 0, inFlight: 0 });
  });

  it('dates each retry by its backoff on the clock: the first falls due after the initial delay, within its jitter', async () => {
    const p = pumping([{ failed: 'HTTP 500' }, 'delivered']);
    p.outbox.add(event);
    await p.settled();
    p.clock.advance(RETRY.initialDelayMs * 0.8 - 1);
    p.outbox.retriesDue();
    expect(await p.outbox.take(1)).toEqual([]);
    p.clock.advance(RETRY.initialDelayMs * 0.4 + 1);
    p.outbox.retriesDue();
    await p.pump.idle();
    expect(p.attempts.map((a) => a.attempt)).toEqual([0, 1]);
  });

  it('gives up after the last attempt, settling the entry and saying so', async () => {
    const p = pumping([{ failed: 'HTTP 500' }, { failed: 'HTTP 502' }, { failed: 'HTTP 503' }]);
    p.outbox.add(event);
    await p.settled();
    for (let retry = 1; retry < RETRY.attempts; retry++) {
      p.waitOutBackoff();
      await p.settled();
    }
    await p.pump.idle();
    expect(p.attempts.map((a) => a.attempt)).toEqual([0, 1, 2]);
    expect(p.pump.stats()).toMatchObject({ retried: 2, delivered: 0, failed: 1 });
    expect(await p.outbox.size()).toBe(0);
    expect(p.warnings).toEqual([
      expect.objectContaining({ workspace_sid: 'WSa', event_type: 'task.created', event_sid: event.sid, attempts: 3, reason: 'HTTP 503' }),
    ]);
  });

  it('does not retry a failure that says trying again cannot help', async () => {
    const p = pumping([{ failed: 'refused', final: true }]);
    p.outbox.add(event);
    await p.settled();
    await p.pump.idle();
    expect(p.attempts).toHaveLength(1);
    expect(p.pump.stats()).toMatchObject({ retried: 0, failed: 1 });
  });
});
