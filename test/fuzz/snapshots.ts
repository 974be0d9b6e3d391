import type { Redis } from 'ioredis';
import type { MemoryStore } from '../../src/store/memory/memory-store.js';

/**
 * Snapshots of everything a store holds, as canonical text, so "a refused request changed nothing" is a string
 * comparison. Both read the stores from outside their public interface on purpose: the public reads need to know
 * what to ask for (index names, counter groups, unique keys), and a change the fuzz does not know to ask about is
 * exactly what a snapshot must catch.
 */

/** A snapshot of a store: canonical text of all it holds. */
export type Snapshot = string;

/** The embedded store's whole state: records, indexes, unique keys, counters, events and timers. */
export function memorySnapshot(store: MemoryStore): Snapshot {
  const internals = store as unknown as {
    workspaces: Map<
      string,
      {
        records: Map<string, Map<string, unknown>>;
        indexes: Map<string, { range(limit: number): string[]; size: number }>;
        unique: Map<string, string>;
        counters: Map<string, Map<string, number>>;
        events: unknown[];
        eventsHead: number;
      }
    >;
    timers: { range(limit: number): string[]; size: number };
    timerMembers: Map<string, string>;
  };
  const workspaces = [...internals.workspaces.entries()].sort(byKey).map(([sid, ws]) => [
    sid,
    {
      records: [...ws.records.entries()].sort(byKey).map(([kind, table]) => [kind, [...table.entries()].sort(byKey)]),
      indexes: [...ws.indexes.entries()].sort(byKey).map(([name, set]) => [name, set.range(set.size)]),
      unique: [...ws.unique.entries()].sort(byKey),
      counters: [...ws.counters.entries()].sort(byKey).map(([group, counts]) => [group, [...counts.entries()].sort(byKey)]),
      events: ws.events.slice(ws.eventsHead),
    },
  ]);
  return JSON.stringify({
    workspaces,
    timers: internals.timers.range(internals.timers.size),
    timerMembers: [...internals.timerMembers.entries()].sort(byKey),
  });
}

/**
 * Every key under `prefix` with its type and contents, read type by type (strings, hashes, sorted sets with scores,
 * sets, lists, streams with their entries), so any write shows.
 */
export async function redisSnapshot(redis: Redis, prefix: string): Promise<Snapshot> {
  const keys: string[] = [];
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  keys.sort();
  if (keys.length === 0) return '[]';
  const typed = await pipelined(
    redis,
    keys.map((key) => ['type', key]),
  );
  const reads = keys.map((key, i) => {
    switch (typed[i]) {
      case 'string':
        return ['get', key];
      case 'hash':
        return ['hgetall', key];
      case 'zset':
        return ['zrange', key, '0', '-1', 'WITHSCORES'];
      case 'set':
        return ['smembers', key];
      case 'list':
        return ['lrange', key, '0', '-1'];
      case 'stream':
        return ['xrange', key, '-', '+'];
      default:
        return ['type', key];
    }
  });
  const contents = await pipelined(redis, reads);
  return JSON.stringify(keys.map((key, i) => [key, typed[i], typed[i] === 'set' ? [...(contents[i] as string[])].sort() : canonical(contents[i])]));
}

async function pipelined(redis: Redis, commands: string[][]): Promise<unknown[]> {
  const results = (await redis.pipeline(commands).exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

/** Hash fields and set members in a fixed order; everything else as Redis returned it. */
function canonical(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).sort(byKey);
  return value;
}

function byKey(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Where two snapshots first differ, with some context, for a finding's description. */
export function firstDifference(before: Snapshot, after: Snapshot): string {
  let i = 0;
  while (i < before.length && i < after.length && before[i] === after[i]) i++;
  const from = Math.max(0, i - 80);
  return `before: …${before.slice(from, i + 120)}… after: …${after.slice(from, i + 120)}…`;
}
