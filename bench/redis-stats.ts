/**
 * What Redis spends on a piece of work: the commands it ran (INFO commandstats; commands run inside a Lua script are
 * counted both on their own and within EVALSHA's time, so the per-command times overlap), the server time of the
 * scripts (EVALSHA's commandstats time: the atomic work, inner commands included) and Redis's own CPU time (INFO cpu,
 * user + system: the honest total, networking included), and the bytes it received (INFO stats).
 * Everything else on the server counts too: measure alone.
 */
import { Redis } from 'ioredis';

export interface RedisCost {
  /** Calls and µs per sample, by command. */
  perOp: Record<string, number>;
  /** Commands per sample, inner script commands included. */
  commands: number;
  /** Script server time per sample (µs). */
  scriptUsec: number;
  /** Redis CPU per sample (µs). */
  cpuUsec: number;
  /** Bytes Redis received per sample. */
  bytesIn: number;
}

type Stats = Map<string, { calls: number; usec: number }>;

async function cpuSeconds(redis: Redis): Promise<number> {
  const text = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(text)![1]);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function bytesReceived(redis: Redis): Promise<number> {
  const text = await redis.info('stats');
  return Number(/total_net_input_bytes:(\d+)/.exec(text)![1]);
}

async function commandStats(redis: Redis): Promise<Stats> {
  const text = await redis.info('commandstats');
  const stats: Stats = new Map();
  for (const line of text.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m) stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return stats;
}

/** One line for a cost: script time, Redis CPU, commands and bytes per unit. */
export function formatRedisCost(cost: RedisCost): string {
  return `scripts ${cost.scriptUsec.toFixed(1)} µs (commandstats), CPU ${cost.cpuUsec.toFixed(1)} µs (INFO cpu), ${cost.commands.toFixed(1)} commands, ${cost.bytesIn.toFixed(0)} bytes sent`;
}

/** Runs `work` (`samples` units of it) and reports Redis's cost per unit. */
export async function measureRedis(url: string, samples: number, work: () => Promise<void>): Promise<RedisCost> {
  const admin = new Redis(url);
  try {
    const before = await commandStats(admin);
    const cpuBefore = await cpuSeconds(admin);
    const bytesBefore = await bytesReceived(admin);
    await work();
    const bytesIn = ((await bytesReceived(admin)) - bytesBefore) / samples;
    const cpuUsec = (((await cpuSeconds(admin)) - cpuBefore) * 1e6) / samples;
    const after = await commandStats(admin);
    const perOp: Record<string, number> = {};
    let commands = 0;
    let scriptUsec = 0;
    for (const [cmd, a] of after) {
      const b = before.get(cmd) ?? { calls: 0, usec: 0 };
      const calls = a.calls - b.calls;
      if (calls <= 0 || cmd === 'info') continue;
      perOp[cmd] = Number((calls / samples).toFixed(2));
      perOp[`${cmd} µs`] = Number(((a.usec - b.usec) / samples).toFixed(1));
      commands += calls;
      if (cmd === 'evalsha' || cmd === 'eval') scriptUsec += a.usec - b.usec;
    }
    return { perOp, commands: commands / samples, scriptUsec: scriptUsec / samples, cpuUsec, bytesIn };
  } finally {
    await admin.quit();
  }
}

/**
 * How fast this Redis runs scripts, to compare numbers taken on different machines: server time (commandstats) of
 * an empty script and of one making 20 HSET calls, each called one after another as the routing scripts are.
 */
export async function calibrateRedis(url: string, samples = 2_000): Promise<{ emptyUsec: number; twentyCallsUsec: number }> {
  const redis = new Redis(url);
  try {
    const key = `sbbench:calibrate:${process.pid}`;
    const timeOf = async (lua: string): Promise<number> => {
      const cost = await measureRedis(url, samples, async () => {
        for (let i = 0; i < samples; i++) await redis.eval(lua, 1, key);
      });
      return cost.scriptUsec;
    };
    const emptyUsec = await timeOf('return 1');
    const twentyCallsUsec = await timeOf("for i = 1, 20 do redis.call('HSET', KEYS[1], 'f' .. i, i) end return 1");
    await redis.del(key);
    return { emptyUsec, twentyCallsUsec };
  } finally {
    await redis.quit();
  }
}

/** One line for a calibration, as the benchmarks print it. */
export function formatCalibration(calibration: { emptyUsec: number; twentyCallsUsec: number }): string {
  return `this Redis: an empty script ${calibration.emptyUsec.toFixed(1)} µs, a script of 20 HSETs ${calibration.twentyCallsUsec.toFixed(1)} µs`;
}

/** Removes a benchmark's keys (all under `prefix`) from Redis, a page of them at a time. */
export async function removeKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
