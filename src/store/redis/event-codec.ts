import { fieldsOf, type EventType, type TaskRouterEvent } from '../../core/events/index.js';

/**
 * The stored form of an event in a workspace's stream. An event is mostly field names and SIDs; Redis spends time
 * on every byte a commit passes and a stream entry holds, so the envelope's keys are short, nulls and the workspace
 * SID (the stream's own) are left out, and the data's known keys are replaced by their position in DATA_KEYS. Other
 * keys are stored as they are, unless they could be read as a position (all digits) or start with the escape '=':
 * those are stored behind a '='.
 *
 * The events of one commit mostly carry the same data (a new task's five events all describe the task), so an event
 * whose data differs from the commit's last event in few keys is stored relative to it: only the keys that differ
 * (`x`), those it lacks (`o`), and `b` saying so. Its stream entry names the last event's entry in a `base` field,
 * and decoding it needs that entry's JSON. The base comes after the events that refer to it, so trimming the
 * stream's head never leaves an event without its base.
 *
 * DATA_KEYS is append-only: stored events refer to its positions.
 *
 * An event's trace context (the span that committed it, when traced) is kept in `tc`; an event stored relative to the
 * commit's last one, which always carries the same (the commit marks them all), leaves it out.
 *
 * Only this module knows the stored form; the Redis store hands it events and stream entries. Judged by the bytes sent
 * per create → reservation in `bench/assignment.ts` and the commit's time in `bench/commit-replay.ts`
 * (docs/performance.md, "Devices in the Redis store").
 */
const DATA_KEYS = [
  'workspace_sid',
  'workspace_name',
  'task_sid',
  'task_attributes',
  'task_age',
  'task_priority',
  'task_assignment_status',
  'task_canceled_reason',
  'task_completed_reason',
  'task_channel_sid',
  'task_channel_unique_name',
  'task_queue_sid',
  'task_queue_name',
  'task_queue_target_expression',
  'task_queue_entered_date',
  'task_queue_entered_date_ms',
  'task_date_created',
  'task_version',
  'workflow_sid',
  'workflow_name',
  'reason',
  'worker_sid',
  'worker_name',
  'worker_attributes',
  'worker_activity_sid',
  'worker_activity_name',
  'worker_version',
  'reservation_sid',
  'worker_previous_activity_sid',
  'worker_previous_activity_name',
  'worker_time_in_previous_activity',
  'worker_time_in_previous_activity_ms',
  'activity_sid',
  'activity_name',
  'activity_available',
  'task_channel_name',
  'task_channel_optimized_routing',
  'worker_channel_available',
  'worker_channel_available_capacity',
  'worker_channel_previous_capacity',
  'worker_channel_task_count',
  'workflow_filter_name',
  'workflow_filter_target',
  'reservation_accepted_date_ms',
  'reservation_wrapup_date_ms',
] as const;

const CODE_OF = new Map<string, string>(DATA_KEYS.map((key, i) => [key, String(i)]));
const ALL_DIGITS = /^\d+$/;
const ESCAPE = '=';

function storedKey(key: string): string {
  const code = CODE_OF.get(key);
  if (code !== undefined) return code;
  return ALL_DIGITS.test(key) || key.startsWith(ESCAPE) ? ESCAPE + key : key;
}

function dataKey(stored: string): string {
  if (stored.startsWith(ESCAPE)) return stored.slice(1);
  return ALL_DIGITS.test(stored) ? DATA_KEYS[Number(stored)]! : stored;
}

interface StoredEvent {
  /** Kept under its own name: tools reading a stream entry find an event's SID there. */
  sid: string;
  t: string;
  d: number;
  r: string;
  s: string;
  m: string;
  at?: string;
  as?: string;
  x: Record<string, string | null>;
  tc?: string;
  /** 1: `x` holds only what differs from the base event's data, and `o` the base's keys this event lacks. */
  b?: 1;
  o?: string[];
}

type StoredData = Record<string, string | null>;

/** One event of a commit as stored: its JSON, and whether it is relative to the commit's last event. */
export interface EncodedEvent {
  json: string;
  relative: boolean;
}

/** The events of one commit, in order; the last is stored whole, each other one relative to it when that is shorter. */
export function encodeEvents(events: readonly TaskRouterEvent[]): EncodedEvent[] {
  const last = events.at(-1);
  if (last === undefined) return [];
  // Differences are found on the events' own data, so only the keys stored are mapped to their stored names. Data
  // values are strings or null, never undefined: undefined means absent.
  const base: StoredData = fieldsOf(last);
  const baseKeys = Object.keys(base);
  return events.map((event, i) => {
    const data: StoredData = fieldsOf(event);
    if (i < events.length - 1) {
      const changed: StoredData = {};
      let differing = 0;
      let keys = 0;
      let shared = 0;
      for (const key in data) {
        keys += 1;
        const value = data[key]!;
        const was = base[key];
        if (was !== undefined) shared += 1;
        if (was !== value) {
          changed[storedKey(key)] = value;
          differing += 1;
        }
      }
      const lacking = baseKeys.length - shared;
      if (differing + lacking < keys) {
        const stored = envelope(event, changed, event.traceContext === last.traceContext);
        stored.b = 1;
        if (lacking > 0) stored.o = baseKeys.filter((key) => data[key] === undefined).map(storedKey);
        return { json: JSON.stringify(stored), relative: true };
      }
    }
    const whole: StoredData = {};
    for (const key in data) whole[storedKey(key)] = data[key]!;
    return { json: JSON.stringify(envelope(event, whole)), relative: false };
  });
}

function envelope(event: TaskRouterEvent, x: StoredData, sameTraceAsBase = false): StoredEvent {
  const stored: StoredEvent = {
    sid: event.sid,
    t: event.eventType,
    d: event.eventDate,
    r: event.resourceType,
    s: event.resourceSid,
    m: event.description,
    x,
  };
  if (event.actorType !== null) stored.at = event.actorType;
  if (event.actorSid !== null) stored.as = event.actorSid;
  if (event.traceContext !== undefined && !sameTraceAsBase) stored.tc = event.traceContext;
  return stored;
}

/**
 * The event stored as `json` in the stream of `workspaceSid`; `base` is the JSON of the entry its stream entry names
 * as base, if it names one. Null when it is stored relative to a base that is not given.
 */
export function decodeEvent(workspaceSid: string, json: string, base?: string): TaskRouterEvent | null {
  const stored = JSON.parse(json) as StoredEvent;
  let x = stored.x;
  let traceContext = stored.tc;
  if (stored.b === 1) {
    if (base === undefined) return null;
    const omitted = new Set(stored.o ?? []);
    x = {};
    const baseEvent = JSON.parse(base) as StoredEvent;
    const baseData = baseEvent.x;
    traceContext ??= baseEvent.tc;
    for (const key in baseData) if (!omitted.has(key)) x[key] = key in stored.x ? stored.x[key]! : baseData[key]!;
    for (const key in stored.x) if (!(key in x)) x[key] = stored.x[key]!;
  }
  const data: Record<string, string | null> = {};
  for (const key in x) data[dataKey(key)] = x[key]!;
  // The stream holds events as the engine committed them, typed by their type; the store gives back what it was given.
  const event = {
    sid: stored.sid,
    workspaceSid,
    eventType: stored.t as EventType,
    eventDate: stored.d,
    resourceType: stored.r,
    resourceSid: stored.s,
    description: stored.m,
    actorType: stored.at ?? null,
    actorSid: stored.as ?? null,
    data,
  } as TaskRouterEvent;
  if (traceContext !== undefined) event.traceContext = traceContext;
  return event;
}

/** A stream entry as XRANGE gives it: its id, and its fields as name, value, name, value, … */
export type StreamEntry = [id: string, fields: string[]];

/**
 * The events of consecutive stream entries, in order, each relative one decoded with the base it names among them.
 * A base is a later entry of the same commit, so entries read from any point to the stream's end hold every base
 * their events name; an entry without an event, or whose base is not among them, is left out.
 */
export function decodeEntries(workspaceSid: string, entries: readonly StreamEntry[]): TaskRouterEvent[] {
  const stored = new Map(entries.map(([id, fields]) => [id, streamField(fields, 'event')]));
  const events: TaskRouterEvent[] = [];
  for (const [, fields] of entries) {
    const event = decodeEntry(workspaceSid, fields, (id) => stored.get(id));
    if (event) events.push(event);
  }
  return events;
}

/** The entry among `entries` that stores the event `sid`, if one does (found without decoding the others). */
export function entryOfEvent(entries: readonly StreamEntry[], sid: string): StreamEntry | undefined {
  // Every stored event's JSON starts with its sid (see StoredEvent).
  const head = `{"sid":${JSON.stringify(sid)},`;
  return entries.find(([, fields]) => streamField(fields, 'event')?.startsWith(head));
}

/**
 * The id of the entry that `entry` is stored relative to, when that entry is not among `entries` and must be read to
 * decode it; undefined when `entries` hold all it needs.
 */
export function baseOutside(entry: StreamEntry, entries: readonly StreamEntry[]): string | undefined {
  const base = streamField(entry[1], 'base');
  return base === undefined || entries.some(([id]) => id === base) ? undefined : base;
}

/** The event stored in `entry`, its base looked up among `entries`; null when the base is not among them. */
export function decodeEntryAmong(workspaceSid: string, entry: StreamEntry, entries: readonly StreamEntry[]): TaskRouterEvent | null {
  return decodeEntry(workspaceSid, entry[1], (id) => streamField(entries.find(([at]) => at === id)?.[1] ?? [], 'event'));
}

/**
 * The event of a stream entry's `fields`, with the base it names looked up by `baseOf`. Null for an entry without an
 * event, or whose base is not found.
 */
function decodeEntry(workspaceSid: string, fields: readonly string[], baseOf: (id: string) => string | undefined): TaskRouterEvent | null {
  const json = streamField(fields, 'event');
  if (json === undefined) return null;
  const base = streamField(fields, 'base');
  return decodeEvent(workspaceSid, json, base === undefined ? undefined : baseOf(base));
}

/** A field of a stream entry, as XRANGE and XREADGROUP give its fields: name, value, name, value, … */
function streamField(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
