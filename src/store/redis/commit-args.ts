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
 * so the script never decodes record JSON: it stores it and compares versions passed beside it.
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
  // Whether a put creates its record: said by the write, or known from its expectation (null = must not exist
  // yet), else checked in Lua.
  const expected = new Map((batch.expect ?? []).map((e) => [`${e.kind}:${e.sid}`, e.version]));
  const creation = (write: RecordWrite): string => {
    if (write.created) return '1';
    const version = expected.get(`${write.kind}:${write.record.sid}`);
    return version === undefined ? '?' : version === null ? '1' : '0';
  };
  const positions = new Map(keyList.map((key, i) => [key, i + 1]));
  const ref = (key: string): string => {
    let at = positions.get(key);
    if (at === undefined) {
      keyList.push(key);
      positions.set(key, (at = keyList.length));
    }
    return String(at);
  };

  const args: string[] = [
    String(retention.maxEvents),
    String(Math.floor(retention.horizonMs)),
    dropWorkspace ? '1' : '0',
    announced === null ? '' : timerDue(announced),
  ];
  const section = (entries: string[][]): void => {
    args.push(String(entries.length));
    for (const entry of entries) args.push(...entry);
  };

  section((batch.expect ?? []).map(({ kind, sid, version }) => [ref(keys.records(kind)), kind, sid, version === null ? '' : String(version)]));
  section(
    (batch.put ?? []).map((write) => [
      ref(keys.records(write.kind)),
      ref(keys.order(write.kind)),
      write.record.sid,
      String(write.record.version),
      creation(write),
      JSON.stringify(write.record),
    ]),
  );
  section((batch.delete ?? []).map(({ kind, sid }) => [ref(keys.records(kind)), ref(keys.order(kind)), sid]));
  section((batch.index ?? []).map(({ op, index, member }) => [op, ref(keys.index(index)), member]));
  section((batch.unique ?? []).map(({ op, key, sid }) => [op, key, sid]));
  section((batch.counters ?? []).map(({ group, key, delta }) => [ref(keys.counters(group)), key, String(delta)]));
  // The script sets and clears in one call each, so a timer named twice is passed once, as its last operation leaves it.
  const timers = new Map((batch.timers ?? []).map((t) => [t.id, t]));
  section([...timers.values()].map((t) => (t.op === 'set' ? ['set', t.id, timerDue(t.due)] : ['clear', t.id, ''])));
  const events = batch.events ?? [];
  const encoded = encodeEvents(events);
  section(events.map((e, i) => [String(Math.max(0, Math.floor(e.eventDate))), encoded[i]!.json, encoded[i]!.relative ? '1' : '0']));

  // Deleting the workspace removes every declared key, so every kind's keys are declared.
  if (dropWorkspace) {
    for (const kind of RECORD_KINDS) {
      ref(keys.records(kind));
      ref(keys.order(kind));
    }
  }
  return { keys: keyList, args };
}

/** Whole non-negative milliseconds, as the memory store keeps them. */
export function timerDue(due: number): string {
  return String(Math.max(0, Math.floor(due)));
}
