import { afterEach, beforeEach, expect, it } from 'vitest';
import { keepAgentLeg } from '../../../src/connector/agent-legs.js';
import { CALL_LINK_TTL_MS, callClaimKey, callKey, callQueueKey, rememberCall, taskOfCall } from '../../../src/connector/call-index.js';
import { keepCallerQueue, queueOfCaller } from '../../../src/connector/call-queue.js';
import { callTaskOnce } from '../../../src/connector/call-task-once.js';
import { MAX_HISTORY } from '../../../src/connector/sms/conversation-store.js';
import { RoutingEngine } from '../../../src/engine/engine.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import type { ClaimKey, ConnectorRetention, ConnectorState } from '../../../src/connector/state/connector-state.js';
import { CommitConflict } from '../../../src/core/errors.js';
import { CUSTOMER, ivrMenuRecord, message, NUMBER, opening, phoneNumberRecord } from './records.js';

/** What the connector state keeps of one conversation, or one claim: what an expiry applies to. */
export type Kept = { conversation: string } | { claim: ClaimKey } | { filing: { number: string; customer: string; messageSid: string } };

/** A state under test, and how its expiry is observed. */
export interface StateHarness {
  make(retention?: ConnectorRetention): Promise<ConnectorState>;
  /**
   * Asserts that `kept` is still there and goes by itself `afterMs` from now: the memory state by moving its clock
   * to just before and just after, Redis by reading the keys' TTLs back. `read` reads it through the seam.
   */
  expectExpiry(state: ConnectorState, kept: Kept, afterMs: number, read: () => Promise<unknown>): Promise<void>;
  /** Asserts that `kept` has no expiry. */
  expectNoExpiry(state: ConnectorState, kept: Kept, read: () => Promise<unknown>): Promise<void>;
  close(state: ConnectorState): Promise<void>;
}

const DAY = 24 * 3600_000;
const call = (n: number): ClaimKey => ({ kind: 'call-task', subject: 'CA' + String(n).padStart(32, '0') });

/**
 * Behaviour every ConnectorState shows, whatever it is built on. Each test gets a fresh, empty state; a behaviour
 * that passes on one and fails on the other is a bug in the latter.
 */
export function connectorStateCases(harness: StateHarness): void {
  let state: ConnectorState;
  const opened: ConnectorState[] = [];
  const make = async (retention?: ConnectorRetention): Promise<ConnectorState> => {
    const made = await harness.make(retention);
    opened.push(made);
    return made;
  };
  beforeEach(async () => {
    state = await make();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await harness.close(s);
  });

  it('keeps numbers and menus with their names, listed in creation order', async () => {
    const menu = ivrMenuRecord();
    const first = phoneNumberRecord({ number: '+15550001001', ivrMenuSid: menu.sid });
    const second = phoneNumberRecord({ number: '+15550001002' });
    await state.changeConfiguration({
      expect: [{ kind: 'ivrMenu', sid: menu.sid, version: null }],
      put: [{ kind: 'ivrMenu', record: menu }],
      names: [{ op: 'claim', kind: 'ivrMenu', name: 'main', sid: menu.sid }],
    });
    for (const n of [first, second]) {
      await state.changeConfiguration({
        expect: [
          { kind: 'phoneNumber', sid: n.sid, version: null },
          { kind: 'ivrMenu', sid: menu.sid, version: 1 },
        ],
        put: [{ kind: 'phoneNumber', record: n }],
        names: [{ op: 'claim', kind: 'phoneNumber', name: n.number, sid: n.sid }],
      });
    }
    // An update keeps the record's place.
    await state.changeConfiguration({ put: [{ kind: 'phoneNumber', record: { ...first, friendlyName: 'front desk', version: 2 } }] });
    expect((await state.listConfigured('phoneNumber')).map((n) => [n.sid, n.version])).toEqual([
      [first.sid, 2],
      [second.sid, 1],
    ]);
    expect(await state.listConfigured('ivrMenu')).toEqual([menu]);
    expect(await state.configured('phoneNumber', first.sid)).toMatchObject({ friendlyName: 'front desk' });
    expect(await state.configured('ivrMenu', first.sid)).toBeNull();
    expect(await state.configuredName('phoneNumber', '+15550001002')).toBe(second.sid);
    expect(await state.configuredName('ivrMenu', '+15550001002')).toBeNull();
    expect(await state.configuredName('ivrMenu', 'main')).toBe(menu.sid);
  });

  it('refuses a configuration change whose versions moved, or whose name is taken, and applies none of it', async () => {
    const menu = ivrMenuRecord();
    await state.changeConfiguration({ put: [{ kind: 'ivrMenu', record: menu }], names: [{ op: 'claim', kind: 'ivrMenu', name: 'main', sid: menu.sid }] });
    const number = phoneNumberRecord();
    const stale = state.changeConfiguration({
      expect: [{ kind: 'ivrMenu', sid: menu.sid, version: 0 }],
      put: [{ kind: 'phoneNumber', record: number }],
      names: [{ op: 'claim', kind: 'phoneNumber', name: number.number, sid: number.sid }],
    });
    await expect(stale).rejects.toBeInstanceOf(CommitConflict);
    const other = ivrMenuRecord();
    const taken = state.changeConfiguration({
      put: [{ kind: 'ivrMenu', record: other }],
      names: [{ op: 'claim', kind: 'ivrMenu', name: 'main', sid: other.sid }],
    });
    await expect(taken).rejects.toBeInstanceOf(CommitConflict);
    const created = state.changeConfiguration({ expect: [{ kind: 'ivrMenu', sid: menu.sid, version: null }], put: [{ kind: 'ivrMenu', record: menu }] });
    await expect(created).rejects.toBeInstanceOf(CommitConflict);
    expect(await state.listConfigured('phoneNumber')).toEqual([]);
    expect(await state.listConfigured('ivrMenu')).toEqual([menu]);
    expect(await state.configuredName('phoneNumber', number.number)).toBeNull();
    expect(await state.configuredName('ivrMenu', 'main')).toBe(menu.sid);
  });

  it('deletes records and lets go of names only their holder holds', async () => {
    const menu = ivrMenuRecord();
    await state.changeConfiguration({ put: [{ kind: 'ivrMenu', record: menu }], names: [{ op: 'claim', kind: 'ivrMenu', name: 'main', sid: menu.sid }] });
    await state.changeConfiguration({ names: [{ op: 'release', kind: 'ivrMenu', name: 'main', sid: 'IM' + '0'.repeat(32) }] });
    expect(await state.configuredName('ivrMenu', 'main')).toBe(menu.sid);
    await state.changeConfiguration({
      expect: [{ kind: 'ivrMenu', sid: menu.sid, version: 1 }],
      delete: [{ kind: 'ivrMenu', sid: menu.sid }],
      names: [{ op: 'release', kind: 'ivrMenu', name: 'main', sid: menu.sid }],
    });
    expect(await state.configured('ivrMenu', menu.sid)).toBeNull();
    expect(await state.listConfigured('ivrMenu')).toEqual([]);
    expect(await state.configuredName('ivrMenu', 'main')).toBeNull();
    // Created again, it comes after one created since.
    const later = ivrMenuRecord({ uniqueName: 'later' });
    await state.changeConfiguration({ put: [{ kind: 'ivrMenu', record: later }] });
    await state.changeConfiguration({ put: [{ kind: 'ivrMenu', record: menu }] });
    expect((await state.listConfigured('ivrMenu')).map((m) => m.sid)).toEqual([later.sid, menu.sid]);
  });

  it('lets one holder at a time claim a key, and lets go only for that holder', async () => {
    expect(await state.claim(call(1), 'a')).toBe(true);
    expect(await state.claim(call(1), 'a')).toBe(true);
    expect(await state.claim(call(1), 'b')).toBe(false);
    expect(await state.holder(call(1))).toBe('a');
    expect(await state.release(call(1), 'b')).toBe(false);
    expect(await state.holder(call(1))).toBe('a');
    expect(await state.release(call(1), 'a')).toBe(true);
    expect(await state.holder(call(1))).toBeNull();
    expect(await state.release(call(1), 'a')).toBe(false);
    expect(await state.claim(call(1), 'b')).toBe(true);
  });

  it('keeps claims of different kinds and subjects apart, whatever their subjects hold', async () => {
    const subject = 'CA' + '1'.repeat(32);
    await state.claim({ kind: 'call-task', subject }, 'task');
    await state.claim({ kind: 'caller-queue', subject }, 'queue');
    await state.claim({ kind: 'agent-audio', subject: 'alice{x}' }, 'here');
    expect(await state.holder({ kind: 'call-claim', subject })).toBeNull();
    expect(await state.holder({ kind: 'call-task', subject })).toBe('task');
    expect(await state.holder({ kind: 'caller-queue', subject })).toBe('queue');
    expect(await state.holder({ kind: 'agent-audio', subject: 'alice{x}' })).toBe('here');
    expect(await state.holder({ kind: 'agent-audio', subject: 'alice' })).toBeNull();
  });

  it('lets an expiring claim go by itself, and keeps one without expiry', async () => {
    await state.claim(call(1), 'a', DAY);
    await harness.expectExpiry(state, { claim: call(1) }, DAY, () => state.holder(call(1)));
    await state.claim(call(2), 'b');
    await harness.expectNoExpiry(state, { claim: call(2) }, () => state.holder(call(2)));
    await state.expireClaim(call(2), 60_000);
    await harness.expectExpiry(state, { claim: call(2) }, 60_000, () => state.holder(call(2)));
  });

  it('opens one conversation per pair at a time, with its first message filed once', async () => {
    const first = opening();
    await state.openConversation(first, message(1), true);
    await expect(state.openConversation(opening(), message(2), true)).rejects.toBeInstanceOf(CommitConflict);
    expect(await state.openConversationBetween(NUMBER, CUSTOMER)).toBe(first.sid);
    expect(await state.openConversationBetween(NUMBER, '+14155550999')).toBeNull();
    expect(await state.conversation(first.sid)).toEqual({ opening: first, closing: null });
    expect(await state.filedIn(NUMBER, CUSTOMER, message(1).sid!)).toBe(first.sid);
    expect(await state.filedIn(NUMBER, CUSTOMER, message(2).sid!)).toBeNull();
    expect(await state.messages(first.sid)).toEqual([message(1)]);

    // Another customer's conversation with the number opens beside it.
    const other = opening(undefined, '+14155550999');
    await state.openConversation(other, message(5, { from: '+14155550999' }), true);
    expect(await state.openConversationBetween(NUMBER, '+14155550999')).toBe(other.sid);
    // Once the first is closed, the pair's next one cannot open with a message filed already, and nothing opens.
    await state.closeConversation(first, { dateClosed: 1, reason: 'task completed' });
    const again = opening();
    await expect(state.openConversation(again, message(1), true)).rejects.toBeInstanceOf(CommitConflict);
    expect(await state.conversation(again.sid)).toBeNull();
    expect(await state.openConversationBetween(NUMBER, CUSTOMER)).toBeNull();
  });

  it('files inbound messages once, outbound ones and unclaimed ones every time, into a capped history', async () => {
    const c = opening();
    await state.openConversation(c, message(0), true);
    await state.fileMessage(c.sid, message(1), { claimInbound: true, keep: 3 });
    await expect(state.fileMessage(c.sid, message(1), { claimInbound: true, keep: 3 })).rejects.toBeInstanceOf(CommitConflict);
    await state.fileMessage(c.sid, message(1), { claimInbound: false, keep: 3 });
    const reply = message(2, { direction: 'outbound', from: NUMBER, to: CUSTOMER, author: 'agent', status: 'queued' });
    await state.fileMessage(c.sid, reply, { claimInbound: true, keep: 3 });
    expect((await state.messages(c.sid)).map((m) => m.body)).toEqual(['message 1', 'message 1', 'message 2']);
    expect(await state.messageCount(c.sid)).toBe(3);

    // The oldest go beyond the cap, and their reports with them.
    await state.recordDelivery(c.sid, { messageSid: reply.sid!, status: 'sent', errorCode: null });
    for (const n of [3, 4]) await state.fileMessage(c.sid, message(n), { claimInbound: true, keep: 3 });
    expect(await state.deliveryReports(c.sid)).toEqual([{ messageSid: reply.sid!, status: 'sent', errorCode: null }]);
    await state.fileMessage(c.sid, message(5), { claimInbound: true, keep: 3 });
    expect((await state.messages(c.sid)).map((m) => m.body)).toEqual(['message 3', 'message 4', 'message 5']);
    expect(await state.deliveryReports(c.sid)).toEqual([]);
  });

  it('files nothing into a conversation it does not have', async () => {
    const unknown = opening();
    await state.fileMessage(unknown.sid, message(1), { claimInbound: true, keep: MAX_HISTORY });
    await state.recordDelivery(unknown.sid, { messageSid: message(1).sid!, status: 'sent', errorCode: null });
    expect(await state.messages(unknown.sid)).toEqual([]);
    expect(await state.messageCount(unknown.sid)).toBe(0);
    expect(await state.deliveryReports(unknown.sid)).toEqual([]);
    expect(await state.filedIn(NUMBER, CUSTOMER, message(1).sid!)).toBeNull();
  });

  it('keeps the furthest delivery report of each message, whatever order they come in', async () => {
    const c = opening();
    await state.openConversation(c, message(0), true);
    const sid = message(1).sid!;
    for (const status of ['sent', 'delivered', 'queued', 'sending']) await state.recordDelivery(c.sid, { messageSid: sid, status, errorCode: null });
    expect(await state.deliveryReports(c.sid)).toEqual([{ messageSid: sid, status: 'delivered', errorCode: null }]);
    // Of two final reports, the same one is kept in either order.
    await state.recordDelivery(c.sid, { messageSid: sid, status: 'undelivered', errorCode: 30003 });
    expect(await state.deliveryReports(c.sid)).toEqual([{ messageSid: sid, status: 'delivered', errorCode: null }]);
    const other = message(2).sid!;
    await state.recordDelivery(c.sid, { messageSid: other, status: 'undelivered', errorCode: 30003 });
    await state.recordDelivery(c.sid, { messageSid: other, status: 'delivered', errorCode: null });
    await state.recordDelivery(c.sid, { messageSid: other, status: 'read', errorCode: null });
    expect((await state.deliveryReports(c.sid)).find((r) => r.messageSid === other)).toEqual({ messageSid: other, status: 'read', errorCode: null });
  });

  it('closes a conversation once, freeing the pair for its next one', async () => {
    const first = opening();
    await state.openConversation(first, message(1), true);
    expect(await state.closeConversation(first, { dateClosed: 1_700_000_100_000, reason: 'task completed' })).toBe(true);
    expect(await state.closeConversation(first, { dateClosed: 1_700_000_200_000, reason: 'task canceled' })).toBe(false);
    expect(await state.conversation(first.sid)).toEqual({ opening: first, closing: { dateClosed: 1_700_000_100_000, reason: 'task completed' } });
    expect(await state.openConversationBetween(NUMBER, CUSTOMER)).toBeNull();
    const next = opening();
    await state.openConversation(next, message(2), true);
    expect(await state.closeConversation(opening(), { dateClosed: 0, reason: 'unknown' })).toBe(false);
    expect(await state.openConversationBetween(NUMBER, CUSTOMER)).toBe(next.sid);
  });

  it('keeps an open conversation, and a closed one with its messages and filings for the retention only', async () => {
    const retention = 3 * DAY;
    const s = await make({ conversationMs: retention });
    const c = opening();
    await s.openConversation(c, message(1), true);
    await s.fileMessage(c.sid, message(2, { direction: 'outbound' }), { claimInbound: true, keep: MAX_HISTORY });
    await s.recordDelivery(c.sid, { messageSid: message(2).sid!, status: 'sent', errorCode: null });
    await harness.expectExpiry(s, { filing: { number: NUMBER, customer: CUSTOMER, messageSid: message(1).sid! } }, retention, () =>
      s.filedIn(NUMBER, CUSTOMER, message(1).sid!),
    );
    await harness.expectNoExpiry(s, { conversation: c.sid }, () => s.conversation(c.sid));

    const d = opening(undefined, '+14155550999');
    await s.openConversation(d, message(3, { from: '+14155550999' }), true);
    await s.recordDelivery(d.sid, { messageSid: message(3).sid!, status: 'sent', errorCode: null });
    await s.closeConversation(d, { dateClosed: 1, reason: 'task completed' });
    // Filed after closing (a message that came as the task ended), it goes with the rest.
    await s.fileMessage(d.sid, message(4), { claimInbound: false, keep: MAX_HISTORY });
    await harness.expectExpiry(s, { conversation: d.sid }, retention, async () => {
      const [conversation, messages, reports] = await Promise.all([s.conversation(d.sid), s.messages(d.sid), s.deliveryReports(d.sid)]);
      return conversation && messages.length === 2 && reports.length === 1 ? conversation : null;
    });
  });

  it("lets go of a call's links by themselves a day on, should its end never be heard of", async () => {
    const callSid = 'CA' + '7'.repeat(32);
    const legOf = { kind: 'agent-leg', subject: 'WR' + '7'.repeat(32) } as const;
    const engine = new RoutingEngine({ store: new MemoryStore(), accountSid: 'AC' + '0'.repeat(32) });
    const task = { workspaceSid: 'WS' + '7'.repeat(32), taskSid: 'WT' + '7'.repeat(32), answer: 'queue' } as const;
    // The creation claim, taken and kept while the task is made, and the task the call names once it is.
    await callTaskOnce(engine, state, callSid, async () => {
      await harness.expectExpiry(state, { claim: callClaimKey(callSid) }, CALL_LINK_TTL_MS, () => state.holder(callClaimKey(callSid)));
      return task;
    });
    await harness.expectExpiry(state, { claim: callKey(callSid) }, CALL_LINK_TTL_MS, () => taskOfCall(state, callSid));
    await rememberCall(state, callSid, task);
    await keepCallerQueue(state, callSid, 'QU' + '7'.repeat(32));
    await harness.expectExpiry(state, { claim: callQueueKey(callSid) }, CALL_LINK_TTL_MS, () => queueOfCaller(state, callSid));
    await keepAgentLeg(state, legOf.subject, callSid);
    await harness.expectExpiry(state, { claim: legOf }, CALL_LINK_TTL_MS, () => state.holder(legOf));
  });
}
