import { Cluster } from 'ioredis';
import { newSid } from '../../core/sid.js';
import type { RedisClient } from './connection.js';
import { hashSlot, SLOTS } from './hash-slot.js';
import type { KeySpace } from './keys.js';

/** Sids drawn at most while looking for one on the chosen master: a master owning a single slot takes ~16k. */
const MAX_DRAWS = 100_000;

/**
 * The sid of a new workspace. On one Redis server, any random sid. On a Redis Cluster, a random sid whose slot lies
 * on the master holding the fewest workspaces: a workspace lives whole in one slot (keys.ts), so with sids left to
 * chance 30 workspaces fall 10 ± 2.6 on each of three masters, and the busiest master, which bounds the cluster, would
 * carry a quarter more than its share as often as not (docs/performance-cluster.md). Counted over the registry at
 * each creation, which is rare; masters added later (slots moved to them) take the next workspaces. Two processes
 * creating at once may both pick the same master: placement evens out the counts, it does not lock them.
 */
export async function placeWorkspaceSid(redis: RedisClient, keys: KeySpace): Promise<string> {
  if (!(redis instanceof Cluster)) return newSid('WS');
  const [owners, sids] = await Promise.all([slotOwners(redis), redis.zrange(keys.workspaces, 0, -1)]);
  const counts = new Map<string, number>([...new Set(owners)].filter((node) => node !== '').map((node) => [node, 0]));
  for (const sid of sids) {
    const node = owners[hashSlot(sid)]!;
    if (counts.has(node)) counts.set(node, counts.get(node)! + 1);
  }
  const fewest = Math.min(...counts.values());
  const candidates = [...counts].filter(([, count]) => count === fewest).map(([node]) => node);
  const chosen = candidates[Math.floor(Math.random() * candidates.length)];
  let sid = newSid('WS');
  for (let draws = 1; owners[hashSlot(sid)] !== chosen && draws < MAX_DRAWS; draws++) sid = newSid('WS');
  return sid;
}

/** For each slot, the id of the master serving it ('' when none does), from CLUSTER SLOTS. */
async function slotOwners(redis: Cluster): Promise<string[]> {
  const ranges = (await redis.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, string], ...unknown[]]>;
  const owners = new Array<string>(SLOTS).fill('');
  for (const [first, last, master] of ranges) owners.fill(master[2], first, last + 1);
  return owners;
}
