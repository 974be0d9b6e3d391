import { describe, expect, it } from 'vitest';
import { ConversationStore, MAX_HISTORY } from '../../src/connector/sms/conversation-store.js';
import { CommitConflict } from '../../src/core/errors.js';
import { MemoryConnectorState } from '../../src/connector/state/memory-connector-state.js';
import { systemClock } from '../../src/engine/clock.js';
import { CUSTOMER, message, NUMBER, opening } from './state/records.js';

describe('conversation store', () => {
  it('opens one conversation per number and customer at a time, and files each inbound message once', async () => {
    const conversations = new ConversationStore(new MemoryConnectorState(systemClock));
    const first = opening();
    await conversations.open(first, message(1));
    await expect(conversations.open(opening('WT' + '4'.repeat(32)), message(2))).rejects.toBeInstanceOf(CommitConflict);
    expect((await conversations.openBetween(NUMBER, CUSTOMER))?.sid).toBe(first.sid);
    expect((await conversations.find(first.taskSid))?.sid).toBe(first.sid);

    await conversations.file(first.sid, message(3));
    await expect(conversations.file(first.sid, message(3))).rejects.toBeInstanceOf(CommitConflict);
    expect(await conversations.filedIn(NUMBER, CUSTOMER, message(3).sid!)).toBe(first.sid);
    expect((await conversations.history(first.sid)).map((m) => m.body)).toEqual(['message 1', 'message 3']);

    expect(await conversations.close(first, 'task completed', 1_700_000_100_000)).toBe(true);
    expect(await conversations.close(first, 'task canceled', 1_700_000_200_000)).toBe(false);
    expect(await conversations.get(first.sid)).toMatchObject({ status: 'closed', closedReason: 'task completed', dateClosed: 1_700_000_100_000 });
    expect(await conversations.openBetween(NUMBER, CUSTOMER)).toBeNull();
    // The pair's next conversation opens freely, and closing the old one again does not close it.
    const next = opening('WT' + '5'.repeat(32));
    await conversations.open(next, message(4));
    await conversations.close(first, 'again', 1_700_000_300_000);
    expect((await conversations.openBetween(NUMBER, CUSTOMER))?.sid).toBe(next.sid);
  });

  it('keeps the furthest delivery report of each message, whatever order they arrive in', async () => {
    const conversations = new ConversationStore(new MemoryConnectorState(systemClock));
    const c = opening();
    await conversations.open(c, message(1));
    const reply = message(2, { direction: 'outbound', from: NUMBER, to: CUSTOMER, author: 'agent', status: 'queued' });
    await conversations.file(c.sid, reply);
    for (const status of ['sent', 'delivered', 'queued']) await conversations.recordDelivery(c.sid, { messageSid: reply.sid!, status, errorCode: null });
    expect((await conversations.history(c.sid))[1]).toMatchObject({ status: 'delivered', errorCode: null });
    const failed = message(3, { direction: 'outbound', from: NUMBER, to: CUSTOMER, status: 'queued' });
    await conversations.file(c.sid, failed);
    await conversations.recordDelivery(c.sid, { messageSid: failed.sid!, status: 'undelivered', errorCode: 30003 });
    expect((await conversations.history(c.sid))[2]).toMatchObject({ status: 'undelivered', errorCode: 30003 });
  });

  it(`keeps the latest ${MAX_HISTORY} messages of a conversation`, async () => {
    const conversations = new ConversationStore(new MemoryConnectorState(systemClock));
    const c = opening();
    await conversations.open(c, message(0));
    for (let n = 1; n <= MAX_HISTORY + 2; n++) await conversations.file(c.sid, message(n));
    const history = await conversations.history(c.sid);
    expect(history).toHaveLength(MAX_HISTORY);
    expect(history[0]!.body).toBe('message 3');
    expect(history.at(-1)!.body).toBe(`message ${MAX_HISTORY + 2}`);
  });
});
