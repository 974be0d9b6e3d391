import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CommitConflict } from '../../src/core/errors.js';
import { isOutage, OutageReporter, STORE_UNAVAILABLE } from '../../src/store/redis/outage.js';
import { FailureThrottle } from '../../src/telemetry/failure-throttle.js';
import { memoryLogger } from '../helpers/log-capture.js';

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:6379`), { code });
}

describe('store outages', () => {
  it('counts unreachable and closed connections, exhausted retries and transient refusals as outages', () => {
    const retries = Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' });
    expect(isOutage(retries, true)).toBe(true);
    expect(isOutage(networkError('ECONNREFUSED'), true)).toBe(true);
    expect(isOutage(new Error('Connection is closed.'), true)).toBe(true);
    expect(isOutage(new ReplyError('LOADING Redis is loading the dataset in memory'), true)).toBe(true);
    expect(isOutage(new ReplyError('OOM command not allowed when used memory > maxmemory'), true)).toBe(true);
    // Whatever fails while the client is not connected is the outage's doing.
    expect(isOutage(new Error('anything'), false)).toBe(true);
  });

  it('keeps bugs, bad input and lost races out of it', () => {
    expect(isOutage(new RangeError('Maximum call stack size exceeded'), true)).toBe(false);
    expect(isOutage(new TypeError('Do not know how to serialize a BigInt'), true)).toBe(false);
    expect(isOutage(new ReplyError('ERR user_script:12: Script attempted to access nonexistent global variable'), true)).toBe(false);
    expect(isOutage(new CommitConflict('task changed'), false)).toBe(false);
  });

  it('answers every outage with the same 503, reports the first with its cause, then a count per interval, then the recovery', () => {
    const { logger, lines } = memoryLogger();
    let now = 0;
    const reporter = new OutageReporter(new FailureThrottle({ message: 'routing store unavailable', logger, now: () => now, intervalMs: 1_000 }));
    const failOnce = () => {
      try {
        reporter.rethrow(networkError('ECONNREFUSED'), false);
      } catch (err) {
        return err;
      }
      return null;
    };
    for (let i = 0; i < 5; i++) expect(failOnce()).toMatchObject({ status: 503, code: 20503, message: STORE_UNAVAILABLE });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ err: { code: 'ECONNREFUSED' } });
    now = 999;
    failOnce();
    expect(lines).toHaveLength(1);
    now = 1_000;
    failOnce();
    expect(lines).toHaveLength(2);
    // The summary counts the calls that failed silently since the first line.
    expect(lines[1]).toMatchObject({ failures: 6, interval_s: 1 });
    expect(lines[1]!.reason).toContain('ECONNREFUSED');
    expect(reporter.passed('answer')).toBe('answer');
    expect(lines[2]).toMatchObject({ level: 'info', failures: 7 });
    reporter.passed('again');
    expect(lines).toHaveLength(3);
  });

  it('rethrows what is not an outage untouched', () => {
    const { logger, lines } = memoryLogger();
    const reporter = new OutageReporter(new FailureThrottle({ message: 'routing store unavailable', logger }));
    const bug = new RangeError('Maximum call stack size exceeded');
    expect(() => reporter.rethrow(bug, true)).toThrow(bug);
    expect(lines).toEqual([]);
  });
});
