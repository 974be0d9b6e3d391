import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startOwnRedis, type OwnRedis } from './redis-server.js';

// The benchmarks start their own Redis servers with this too (bench/cluster.ts, bench/large-workspace.ts): it stays
// free of vitest and of anything else only tests have.

export interface OwnRedisCluster {
  /** The nodes' URLs, comma-separated: what REDIS_URL holds with REDIS_CLUSTER=true. */
  url: string;
  stop(): Promise<void>;
}

const SLOTS = 16384;

/**
 * A Redis Cluster of the test's own: `masters` redis-servers in cluster mode, the slots split evenly between them,
 * introduced to one another with CLUSTER MEET. Resolves once every node reports the cluster ok.
 */
export async function startRedisCluster(masters = 3): Promise<OwnRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const nodes: OwnRedis[] = [];
  for (let i = 0; i < masters; i++) {
    nodes.push(
      await startOwnRedis({
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${i}.conf`),
          '--cluster-node-timeout',
          '2000',
          // A node that has met no other does not know its own address and reports an empty one in CLUSTER SLOTS.
          '--cluster-announce-ip',
          '127.0.0.1',
        ],
      }),
    );
  }
  const clients = nodes.map((node) => new Redis(node.url));
  try {
    await Promise.all(
      clients.map((client, i) => {
        const first = Math.floor((SLOTS * i) / masters);
        const last = Math.floor((SLOTS * (i + 1)) / masters) - 1;
        return client.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
      }),
    );
    for (const node of nodes.slice(1)) await clients[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(node.port));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(clients.map((client) => client.call('CLUSTER', 'INFO') as Promise<string>));
      if (states.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`))) break;
      if (Date.now() > deadline) throw new Error(`Redis Cluster did not come up: ${states.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await Promise.all(clients.map((client) => client.quit()));
  }
  return {
    url: nodes.map((node) => node.url).join(','),
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
