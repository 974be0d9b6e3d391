import { describe, expect, it } from 'vitest';
import {
  MEMBERS_AVAILABLE_KEY,
  membersInActivityKey,
  parseCounterKey,
  parsePendingMember,
  parseTimeMember,
  pendingMember,
  priorityKey,
  reservedInMinuteKey,
  statusKey,
  timeMember,
  WORKERS_TOTAL_KEY,
  workersInActivityKey,
} from '../../src/engine/derived/schema.js';

describe('derived state schema', () => {
  it('reads every counter key back as it was built, and no key it does not build', () => {
    expect(parseCounterKey(statusKey('pending', 'TC1'))).toEqual({ figure: 'status', status: 'pending', channelSid: 'TC1' });
    expect(parseCounterKey(priorityKey(7, 'TC1'))).toEqual({ figure: 'priority', priority: '7', channelSid: 'TC1' });
    expect(parseCounterKey(workersInActivityKey('WA1'))).toEqual({ figure: 'workersInActivity', activitySid: 'WA1' });
    expect(parseCounterKey(WORKERS_TOTAL_KEY)).toEqual({ figure: 'workersTotal' });
    expect(parseCounterKey(membersInActivityKey('WA1'))).toEqual({ figure: 'membersInActivity', activitySid: 'WA1' });
    expect(parseCounterKey(MEMBERS_AVAILABLE_KEY)).toEqual({ figure: 'membersAvailable' });
    expect(parseCounterKey(reservedInMinuteKey(28_000_000))).toEqual({ figure: 'reservedInMinute', minute: 28_000_000 });
    for (const key of ['', 'status', 'status:pending', 'members:other:WA1', 'rate:WQ1', 'a:b:c:d']) expect(parseCounterKey(key), key).toBeNull();
  });

  it('orders pending members as routing takes tasks, and reads them back', () => {
    const fifo = [pendingMember(10, 5_000, 'FIFO', 'WTc'), pendingMember(0, 1_000, 'FIFO', 'WTa'), pendingMember(10, 2_000, 'FIFO', 'WTb')];
    expect([...fifo].sort().map((m) => parsePendingMember(m).taskSid)).toEqual(['WTb', 'WTc', 'WTa']);
    const lifo = [pendingMember(0, 1_000, 'LIFO', 'WTa'), pendingMember(0, 2_000, 'LIFO', 'WTb')];
    expect([...lifo].sort().map((m) => parsePendingMember(m).taskSid)).toEqual(['WTb', 'WTa']);
    expect(parsePendingMember(pendingMember(2_147_483_647, 1_700_000_000_123, 'FIFO', 'WTx'))).toEqual({
      priority: 2_147_483_647,
      timeKey: 1_700_000_000_123,
      taskSid: 'WTx',
    });
  });

  it('orders time members oldest first, and reads them back', () => {
    const members = [timeMember(1_700_000_000_000, 'WKb'), timeMember(999, 'WKa')];
    expect([...members].sort().map((m) => parseTimeMember(m))).toEqual([
      { ms: 999, sid: 'WKa' },
      { ms: 1_700_000_000_000, sid: 'WKb' },
    ]);
  });
});
