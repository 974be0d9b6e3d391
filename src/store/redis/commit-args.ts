import type { Kind } from '../../core/model.js';
import type { CommitBatch, RecordWrite } from '../routing-store.js';
import { encodeEvents } from './event-codec.js';
import { RECORD_KINDS, type WorkspaceKeys } from './keys.js';

/** How the events stream of a workspace is trimmed after an append. */
export interface EventRetention {
  maxEvents: number;
  /** Events whose stream id is older than this (ms) are trimmed. */
  horizonMs: number;
}

/**
 * Lays a batch out as the keys and flat arguments of lua/commit.lua. Flat strings rather than one JSON document,
 * so the script never decodes record JSON: it stores it and compares versions passed beside it. Built in one pass
 * straight into the argument list: this runs for every commit.
 */
export function encodeCommit(
  keys: WorkspaceKeys,
  batch: CommitBatch,
  retention: EventRetention,
  dropWorkspace: boolean,
  /** The earliest due announced in the timer registry ahead of this commit, if any. */
  announced: number | null = null,
): { keys: string[]; args: string[] } {
  const keyList = [keys.meta, keys.unique, keys.timers, keys.events];
  // A key is declared once and referred to by its position, found by the name it is built from.
  const declared = {
    records: new Map<string, string>(),
    order: new Map<string, string>(),
    index: new Map<string, string>(),
    counters: new Map<string, string>(),
  };
  const ref = (type: keyof typeof declared, name: string): string => {
    let at = declared[type].get(name);
    if (at === undefined) {
      keyList.push(keys[type](name as Kind));
      declared[type].set(name, (at = String(keyList.length)));
    }
    return at;
  };
  const records = (kind: Kind): string => ref('records', kind);
  const order = (kind: Kind): string => ref('order', kind);

  const args: string[] = [
    String(retention.maxEvents),
    String(Math.floor(retention.horizonMs)),
    dropWorkspace ? '1' : '0',
    announced === null ? '' : timerDue(announced),
  ];
  // Each section is its entry count, then the entries' fields.
  const section = (count: number): void => {
    args.push(String(count));
  };

  const expect = batch.expect ?? [];
  section(expect.length);
  for (const { kind, sid, version } of expect) args.push(records(kind), kind, sid, version === null ? '' : String(version));

  const puts = batch.put ?? [];
  section(puts.length);
  for (const write of puts) {
    const { kind, record } = write;
    args.push(records(kind), order(kind), record.sid, String(record.version), creation(write, expect), JSON.stringify(record));
  }

  const deletes = batch.delete ?? [];
  section(deletes.length);
  for (const { kind, sid } of deletes) args.push(records(kind), order(kind), sid);

  const index = batch.index ?? [];
  section(index.length);
  for (const entry of index) args.push(entry.op, ref('index', entry.index), entry.member);

  const unique = batch.unique ?? [];
  section(unique.length);
  for (const { op, key, sid } of unique) args.push(op, key, sid);

  const counters = batch.counters ?? [];
  section(counters.length);
  for (const { group, key, delta } of counters) args.push(ref('counters', group), key, String(delta));

  // The script sets and clears in one call each, so a timer named twice is passed once, as its last operation leaves it.
  const timers = new Map((batch.timers ?? []).map((t) => [t.id, t]));
  section(timers.size);
  for (const t of timers.values()) args.push(t.op, t.id, t.op === 'set' ? timerDue(t.due) : '');

  const events = batch.events ?? [];
  const encoded = encodeEvents(events);
  section(events.length);
  for (let i = 0; i < events.length; i++) {
    args.push(String(Math.max(0, Math.floor(events[i]!.eventDate))), encoded[i]!.json, encoded[i]!.relative ? '1' : '0');
  }

  const read = batch.readAfter;
  if (read) {
    args.push(records(read.kind), String(read.limit));
    section(read.indexes.length);
    for (const index of read.indexes) args.push(ref('index', index));
  }

  // Deleting the workspace removes every declared key, so every kind's keys are declared.
  if (dropWorkspace) {
    for (const kind of RECORD_KINDS) {
      records(kind);
      order(kind);
    }
  }
  return { keys: keyList, args };
}

/**
 * Whether a put creates its record: '1' yes, '0' no, '?' unknown (the script looks). The engine's writes say so; a
 * batch that does not is read from its expectations (null = must not exist yet).
 */
function creation(write: RecordWrite, expect: NonNullable<CommitBatch['expect']>): string {
  if (write.created !== undefined) return write.created ? '1' : '0';
  const expected = expect.find((e) => e.kind === write.kind && e.sid === write.record.sid);
  return expected === undefined ? '?' : expected.version === null ? '1' : '0';
}

/** Whole non-negative milliseconds, as the memory store keeps them. */
export function timerDue(due: number): string {
  return String(Math.max(0, Math.floor(due)));
}
