import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../src/telemetry/failure-throttle.js';
import { memoryLogger } from '../helpers/log-capture.js';

function throttle(intervalMs = 30_000) {
  const { logger, lines } = memoryLogger();
  const clock = { now: 1_000_000 };
  const failures = new FailureThrottle({ message: 'callback URL failing', intervalMs, logger, now: () => clock.now });
  return { failures, lines, clock };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

describe('FailureThrottle', () => {
  it('logs the first failure with its error, then one counted summary per interval, then the recovery', () => {
    const t = throttle();
    t.failures.failed('http://127.0.0.1:9', refused(), { host: 'http://127.0.0.1:9' });
    expect(t.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'callback URL failing',
        host: 'http://127.0.0.1:9',
        err: expect.objectContaining({ code: 'ECONNREFUSED' }),
      }),
    ]);

    for (let i = 0; i < 99; i++) {
      t.clock.now += 100;
      t.failures.failed('http://127.0.0.1:9', refused());
    }
    // 9.9 s in: still the one line.
    expect(t.lines).toHaveLength(1);

    t.clock.now += 20_100;
    t.failures.failed('http://127.0.0.1:9', refused());
    expect(t.lines).toHaveLength(2);
    expect(t.lines[1]).toMatchObject({
      level: 'warn',
      msg: 'callback URL failing: failed 100 times in the last 30 s',
      failures: 100,
      interval_s: 30,
      reason: 'Error: connect ECONNREFUSED 127.0.0.1:9',
    });
    // The summary carries no stack: the first line did.
    expect(t.lines[1]).not.toHaveProperty('err');

    t.clock.now += 5_000;
    t.failures.failed('http://127.0.0.1:9', 'HTTP 503');
    t.failures.succeeded('http://127.0.0.1:9', { host: 'http://127.0.0.1:9' });
    expect(t.lines).toHaveLength(3);
    expect(t.lines[2]).toMatchObject({ level: 'info', msg: 'callback URL failing: recovered after 102 failure(s) over 35 s', failures: 102, duration_s: 35 });

    // Working again: nothing more to say until it fails anew, which is a first failure again.
    t.failures.succeeded('http://127.0.0.1:9');
    t.failures.failed('http://127.0.0.1:9', 'HTTP 503');
    expect(t.lines).toHaveLength(4);
    expect(t.lines[3]).toMatchObject({ msg: 'callback URL failing', reason: 'HTTP 503' });
  });

  it('follows each key on its own', () => {
    const t = throttle(1_000);
    t.failures.failed('a', 'HTTP 500');
    t.failures.failed('b', 'HTTP 502');
    t.failures.failed('a', 'HTTP 500');
    expect(t.lines.map((line) => line.reason)).toEqual(['HTTP 500', 'HTTP 502']);
    t.failures.succeeded('b');
    t.clock.now += 1_000;
    t.failures.failed('a', 'HTTP 500');
    expect(t.lines.slice(2).map((line) => [line.msg, line.failures])).toEqual([
      ['callback URL failing: recovered after 1 failure(s) over 0 s', 1],
      ['callback URL failing: failed 2 times in the last 1 s', 2],
    ]);
  });

  it('says nothing of a key that never failed', () => {
    const t = throttle();
    t.failures.succeeded('fine');
    expect(t.lines).toEqual([]);
  });
});
