import { describe, expect, it } from 'vitest';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import { newSid, timedSid } from '../../src/core/sid.js';
import { baseOutside, decodeEntries, decodeEntryAmong, encodeEvents, entryOfEvent, type StreamEntry } from '../../src/store/redis/event-codec.js';
import { asStoredEvent } from './records.js';

const ws = newSid('WS');
const task = newSid('WT');

function event(eventDate: number, eventType: string, extra: Record<string, string | null> = {}): TaskRouterEvent {
  return asStoredEvent({
    sid: timedSid('EV', eventDate),
    workspaceSid: ws,
    eventType,
    eventDate,
    resourceType: 'task',
    resourceSid: task,
    description: eventType,
    actorType: null,
    actorSid: null,
    data: { workspace_sid: ws, task_sid: task, task_attributes: '{"a":1}', task_priority: '0', task_age: '0', ...extra },
  });
}

/** Stream entries for one commit's events, laid out as lua/commit.lua stores them: a relative one names the last. */
function entriesOf(events: TaskRouterEvent[], firstId = 1): StreamEntry[] {
  const encoded = encodeEvents(events);
  const ids = events.map((_, i) => `${firstId + i}-0`);
  return encoded.map((e, i): StreamEntry => [ids[i]!, e.relative ? ['event', e.json, 'base', ids.at(-1)!] : ['event', e.json]]);
}

describe('event codec: stream entries', () => {
  const commit = [event(1_000, 'task.created'), event(1_000, 'task-queue.entered', { task_queue_sid: 'WQ1' }), event(1_000, 'task.updated', { reason: 'r' })];

  it('stores all but the last event of a commit relative to the last one, and decodes them back exactly', () => {
    expect(encodeEvents(commit).map((e) => e.relative)).toEqual([true, true, false]);
    expect(decodeEntries(ws, entriesOf(commit))).toEqual(commit);
  });

  it('leaves out an event whose base is not among the entries, and entries holding no event', () => {
    const entries = entriesOf(commit);
    expect(decodeEntries(ws, [['0-1', ['other', 'x']], ...entries.slice(0, 2)])).toEqual([]);
    expect(decodeEntries(ws, entries.slice(1))).toEqual(commit.slice(1));
  });

  it('finds an event by sid and says which base must be read when it is not among the entries', () => {
    const entries = entriesOf(commit);
    const found = entryOfEvent(entries.slice(0, 1), commit[0]!.sid)!;
    expect(found[0]).toBe('1-0');
    expect(entryOfEvent(entries, timedSid('EV', 1_000))).toBeUndefined();
    expect(baseOutside(found, entries.slice(0, 1))).toBe('3-0');
    expect(baseOutside(found, entries)).toBeUndefined();
    expect(baseOutside(entries[2]!, entries.slice(2))).toBeUndefined();
    expect(decodeEntryAmong(ws, found, entries.slice(0, 1))).toBeNull();
    expect(decodeEntryAmong(ws, found, entries.slice(2))).toEqual(commit[0]);
  });
});
