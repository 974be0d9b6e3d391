import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** One Redis server, or a Redis Cluster: every command the store sends names keys of a single slot. */
export type RedisClient = Redis | Cluster;

/**
 * Fail a command after one reconnection attempt rather than queueing it indefinitely: callers (the API) turn the
 * error into 503 while ioredis keeps reconnecting in the background.
 */
const MAX_RETRIES_PER_REQUEST = 1;
const CONNECT_TIMEOUT_MS = 2_000;
/**
 * A server that accepts the connection but stops answering must not hang requests either: with commands waiting and
 * no data for this long, the connection is dropped and its commands fail. One timer per connection, where a timeout
 * per command would cost a timer for every command on the routing hot path.
 */
const SOCKET_TIMEOUT_MS = 10_000;
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, 1_000);

const SERVER_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
  connectTimeout: CONNECT_TIMEOUT_MS,
  socketTimeout: SOCKET_TIMEOUT_MS,
  // Commands issued during a reconnect wait for it (bounded by MAX_RETRIES_PER_REQUEST) instead of failing at once.
  enableOfflineQueue: true,
  // No auto-pipelining: its per-tick pipeline costs more CPU than the writes it saves (`bench/assignment.ts`;
  // docs/performance.md, "Tried and not adopted").
};

/**
 * Connects to `url` (redis:// or rediss://), or with `cluster` to the Redis Cluster that the comma-separated node URLs
 * in `url` belong to (any reachable node will do; the rest are discovered). Rejects if it cannot be reached.
 */
export async function connectRedis(url: string, cluster = false): Promise<RedisClient> {
  const redis = cluster ? clusterClient(url) : new Redis(url, { ...SERVER_OPTIONS, lazyConnect: true, retryStrategy: reconnectDelay });
  // Without a listener ioredis reports every failed reconnect on stderr; failures reach callers through commands.
  let lastError: unknown;
  redis.on('error', (err: unknown) => (lastError = err));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    // connect() only says the connection closed; the socket's own error says why (refused, unknown host, auth…).
    throw lastError ?? err;
  }
  return redis;
}

function clusterClient(urls: string): Cluster {
  const seeds = urls.split(',').map((text) => new URL(text.trim()));
  const first = seeds[0]!;
  const redisOptions: RedisOptions = {
    ...SERVER_OPTIONS,
    username: first.username ? decodeURIComponent(first.username) : undefined,
    password: first.password ? decodeURIComponent(first.password) : undefined,
    tls: first.protocol === 'rediss:' ? {} : undefined,
  };
  return new Cluster(
    seeds.map((seed) => ({ host: seed.hostname, port: Number(seed.port || 6379) })),
    { lazyConnect: true, enableOfflineQueue: true, clusterRetryStrategy: reconnectDelay, redisOptions },
  );
}

/** Every key matching `pattern`, node by node on a cluster (SCAN walks one server). */
export async function* scanKeys(redis: RedisClient, pattern: string): AsyncGenerator<string[]> {
  const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, found] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (found.length > 0) yield found;
      cursor = next;
    } while (cursor !== '0');
  }
}
