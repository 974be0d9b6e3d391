import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSid, newSid } from '../../src/core/sid.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { hashSlot } from '../../src/store/redis/hash-slot.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { startRedisCluster, type OwnRedisCluster } from '../helpers/redis-cluster.js';
import { testRedisUrl, uniquePrefix } from './redis-test-server.js';
import { workspaceRecord } from './records.js';

/**
 * Workspace placement on a real three-master Redis Cluster: a new workspace's sid is chosen so that its slot lies on
 * the master holding the fewest workspaces, where random sids would leave the masters unevenly loaded.
 */
let cluster: OwnRedisCluster;
let nodes: Redis[];
let stores = 0;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  nodes = cluster.url.split(',').map((url) => new Redis(url));
}, 60_000);
afterAll(async () => {
  await Promise.all((nodes ?? []).map((node) => node.quit()));
  await cluster?.stop();
});

const connect = (prefix = `p${stores++}:`) => RedisStore.connect(cluster.url, { cluster: true, prefix });
const engineOn = (store: RedisStore) => new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });

/** Which node (index into `nodes`) serves a workspace, asked of the cluster itself. */
async function nodeOf(sid: string): Promise<number> {
  const slot = Number(await nodes[0]!.call('CLUSTER', 'KEYSLOT', `{${sid}}`));
  const ranges = (await nodes[0]!.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
  const [, , [, port]] = ranges.find(([first, last]) => slot >= first && slot <= last)!;
  return nodes.findIndex((node) => node.options.port === port);
}

const countsOf = async (sids: string[]) => {
  const counts = nodes.map(() => 0);
  for (const sid of sids) counts[await nodeOf(sid)]! += 1;
  return counts;
};

describe('workspace placement on a Redis Cluster', () => {
  it('computes the slot the cluster computes, hash tags included', async () => {
    const keys = [
      '',
      'a',
      'switchboard:{WS0}:task',
      '{}x',
      'x{}y',
      'a{b}{c}',
      'pre:{WSé}:meta',
      ...Array.from({ length: 50 }, () => `p:{${newSid('WS')}}:meta`),
    ];
    for (const key of keys) expect(hashSlot(key), key).toBe(Number(await nodes[0]!.call('CLUSTER', 'KEYSLOT', key)));
  });

  it('puts 30 workspaces created one after another 10 on each master, under valid random sids', async () => {
    const store = await connect();
    try {
      const engine = engineOn(store);
      const sids: string[] = [];
      for (let i = 0; i < 30; i++) sids.push((await engine.createWorkspace({ friendlyName: `w${i}` })).sid);
      expect(sids.every((sid) => isSid(sid, 'WS'))).toBe(true);
      expect(new Set(sids).size).toBe(30);
      expect(await countsOf(sids)).toEqual([10, 10, 10]);
    } finally {
      await store.close();
    }
  });

  it('fills the masters that hold fewer workspaces first', async () => {
    const store = await connect();
    try {
      // Four workspaces already on the first master, as random sids may have left them.
      const early: string[] = [];
      while (early.length < 4) {
        const sid = newSid('WS');
        if ((await nodeOf(sid)) !== 0) continue;
        await store.commit(sid, { expect: [{ kind: 'workspace', sid, version: null }], put: [{ kind: 'workspace', record: workspaceRecord(sid) }] });
        early.push(sid);
      }
      const engine = engineOn(store);
      const placed: string[] = [];
      for (let i = 0; i < 8; i++) placed.push((await engine.createWorkspace({ friendlyName: `w${i}` })).sid);
      expect(await countsOf(placed)).toEqual([0, 4, 4]);
      placed.push((await engine.createWorkspace({ friendlyName: 'one more' })).sid);
      // Then any master of the three, all holding four.
      expect((await countsOf([...early, ...placed])).sort()).toEqual([4, 4, 5]);
    } finally {
      await store.close();
    }
  });

  it('leaves sids to chance on one Redis server', async () => {
    const store = await RedisStore.connect(testRedisUrl(), { prefix: uniquePrefix() });
    try {
      expect(isSid(await store.newWorkspaceSid(), 'WS')).toBe(true);
    } finally {
      await store.close();
    }
  });
});
