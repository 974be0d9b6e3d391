/**
 * Redis Cluster benchmark: does Redis's capacity grow with its masters? The same load — WORKSPACES workspaces, full
 * task lifecycles (create → reservation → accept → complete) through the engine, the same number in each
 * workspace, CALLERS callers each — runs on a Redis Cluster of MASTERS masters and on one plain Redis server, in
 * rounds taken in turn. Both
 * are redis-servers of the benchmark's own on loopback, started and stopped by it, so their counters hold nothing
 * else. Per master it prints the commands processed, the CPU spent, the spread of both (max and min against the
 * mean), the errors answered (MOVED, ASK and CROSSSLOT must be 0) and the lifecycles per Redis CPU-second; then the
 * plain server's figure, the ratio of the two, and what 10 masters would carry at that cost.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench/cluster.js
 *
 * Runs the compiled build, for the reason bench/assignment.ts gives. The engine runs in this one process (at most
 * one core); the Redis servers are processes of their own on the same machine.
 *
 * Options (env): MASTERS (3), WORKSPACES (30), WORKERS (40 per workspace), QUEUES (4 per workspace), CALLERS (2 per
 * workspace), LIFECYCLES (200 per workspace, measured in ROUNDS (4) rounds, the cluster and the single server taking
 * turns, after WARM_LIFECYCLES (30) uncounted), PLACEMENT (`fewest`,
 * the store's placement; `random`: workspace sids left to chance, to see what placement buys).
 * docs/performance-cluster.md holds the figures and how to read them.
 */
import os from 'node:os';
import { Redis } from 'ioredis';
import { RoutingEngine } from '../src/engine/engine.js';
import { hashSlot } from '../src/store/redis/hash-slot.js';
import { RedisStore } from '../src/store/redis/redis-store.js';
import { startRedisCluster } from '../test/helpers/redis-cluster.js';
import { startOwnRedis } from '../test/helpers/redis-server.js';
import { createWorkspaces, runLifecycles, type BenchWorkspace, type LoadShape } from './cluster/lifecycle-load.js';
import { delta, ROUTING_ERRORS, snapshot, type NodeSnapshot } from './cluster/node-stats.js';

const MASTERS = Number(process.env.MASTERS ?? 3);
const SHAPE: LoadShape = {
  workspaces: Number(process.env.WORKSPACES ?? 30),
  workersPerWorkspace: Number(process.env.WORKERS ?? 40),
  queuesPerWorkspace: Number(process.env.QUEUES ?? 4),
  callersPerWorkspace: Number(process.env.CALLERS ?? 2),
};
const LIFECYCLES = Number(process.env.LIFECYCLES ?? 200);
const WARM_LIFECYCLES = Number(process.env.WARM_LIFECYCLES ?? 30);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const PLACEMENT = process.env.PLACEMENT ?? 'fewest';
const PROJECTED_MASTERS = 10;

interface Measured {
  lifecycles: number;
  seconds: number;
  failed: number;
  /** This process's CPU per lifecycle (µs). */
  processCpuUsec: number;
  /** Per server, summed over the measured rounds. */
  nodes: Array<{ name: string; window: NodeSnapshot; wholeRunErrors: Record<string, number> }>;
}

/** One Redis deployment under test: its store and engine in this process, its workspaces, and its servers' counters. */
interface Target {
  label: string;
  store: RedisStore;
  engine: RoutingEngine;
  workspaces: BenchWorkspace[];
  servers: Array<{ name: string; redis: Redis }>;
  measured: Measured;
}

async function prepare(label: string, url: string, cluster: boolean, servers: Array<{ name: string; redis: Redis }>): Promise<Target> {
  const store = await RedisStore.connect(url, { cluster, prefix: 'sbcluster:' });
  // Sids left to chance: the engine mints its own where the store offers none.
  if (PLACEMENT === 'random') Object.assign(store, { newWorkspaceSid: undefined });
  const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
  // Timers and sweeps run as in a server: their reads of the timer registry land on one master.
  engine.start();
  const workspaces = await createWorkspaces(engine, store, SHAPE);
  await runLifecycles(engine, workspaces, SHAPE, WARM_LIFECYCLES);
  const measured: Measured = {
    lifecycles: 0,
    seconds: 0,
    failed: 0,
    processCpuUsec: 0,
    nodes: servers.map((s) => ({ name: s.name, window: { commands: 0, cpuSeconds: 0, errors: {} }, wholeRunErrors: {} })),
  };
  return { label, store, engine, workspaces, servers, measured };
}

/** One round of `perWorkspace` lifecycles in each of the target's workspaces, added to what it measured. */
async function measureRound(t: Target, perWorkspace: number): Promise<void> {
  const before = await Promise.all(t.servers.map((s) => snapshot(s.redis)));
  const cpu = process.cpuUsage();
  const started = performance.now();
  const failed = await runLifecycles(t.engine, t.workspaces, SHAPE, perWorkspace);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const after = await Promise.all(t.servers.map((s) => snapshot(s.redis)));
  const m = t.measured;
  const lifecycles = perWorkspace * t.workspaces.length;
  m.processCpuUsec = (m.processCpuUsec * m.lifecycles + used.user + used.system) / (m.lifecycles + lifecycles);
  m.lifecycles += lifecycles;
  m.seconds += seconds;
  m.failed += failed;
  t.servers.forEach((_, i) => {
    const node = m.nodes[i]!;
    const d = delta(before[i]!, after[i]!);
    node.window.commands += d.commands;
    node.window.cpuSeconds += d.cpuSeconds;
    for (const [kind, count] of Object.entries(d.errors)) node.window.errors[kind] = (node.window.errors[kind] ?? 0) + count;
    node.wholeRunErrors = after[i]!.errors;
  });
}

async function finish(t: Target): Promise<void> {
  await t.engine.stop();
  // A timer round or sweep already under way finishes before its store closes.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await t.store.close();
}

const perCpuSecond = (m: Measured) => m.lifecycles / m.nodes.reduce((sum, n) => sum + n.window.cpuSeconds, 0);

/**
 * What PROJECTED_MASTERS masters would carry, each saturated at one core. Every master carries its workspaces' share
 * of the lifecycles; the master holding the registries (the timer registry's announcements, one hash tag for the
 * whole deployment) carries on top a cost that grows with the whole cluster's rate, not with its share, so it is
 * the first to saturate: rate ≤ 1 / (c / N + r), c being a lifecycle's cost on the masters without the registry
 * (their mean, times the masters measured) and r the registry master's cost above theirs per lifecycle.
 */
function projection(m: Measured, registryMaster: string | undefined): string {
  const perLifecycle = m.nodes.map((n) => n.window.cpuSeconds / m.lifecycles);
  const others = m.nodes.flatMap((n, i) => (n.name === registryMaster ? [] : [perLifecycle[i]!]));
  const registry = m.nodes.findIndex((n) => n.name === registryMaster);
  if (others.length === 0 || registry === -1) return 'projection: needs a master without the registry and the one with it';
  const othersMean = others.reduce((a, b) => a + b, 0) / others.length;
  const c = othersMean * m.nodes.length;
  const r = Math.max(0, perLifecycle[registry]! - othersMean);
  const rate = 1 / (c / PROJECTED_MASTERS + r);
  const processes = (rate * m.processCpuUsec) / 1e6;
  return (
    `projection: a lifecycle costs the masters ${(c * 1e6).toFixed(0)} µs of CPU in all, the registry's master ${(r * 1e6).toFixed(0)} µs more; ` +
    `${PROJECTED_MASTERS} masters at one core each carry 1 / (${(c * 1e6).toFixed(0)} µs / ${PROJECTED_MASTERS} + ${(r * 1e6).toFixed(0)} µs) ≈ ` +
    `${Math.round(rate).toLocaleString('en-US')} lifecycles/s (${Math.round(PROJECTED_MASTERS / c).toLocaleString('en-US')} without the registry's share), ` +
    `given ≈ ${Math.ceil(processes)} cores of Switchboard processes at this run's ${m.processCpuUsec.toFixed(0)} µs a lifecycle`
  );
}

/** Max and min against the mean, as percentages: "+8 % / −6 %". */
function spread(values: number[]): { text: string; high: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const high = Math.max(...values) / mean - 1;
  const low = Math.min(...values) / mean - 1;
  const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`;
  return { text: `max ${pct(high)}, min ${pct(low)} of the mean`, high };
}

function report(label: string, m: Measured): void {
  const rate = m.lifecycles / m.seconds;
  console.log(`\n${label}: ${m.lifecycles} lifecycles in ${m.seconds.toFixed(1)} s (${rate.toFixed(0)}/s), ${m.failed} failed`);
  console.log(`  engine process: ${m.processCpuUsec.toFixed(0)} µs CPU per lifecycle (${((m.processCpuUsec * rate) / 1e4).toFixed(0)} % of a core)`);
  for (const n of m.nodes) {
    const routing = ROUTING_ERRORS.map((kind) => `${kind} ${n.wholeRunErrors[kind] ?? 0}`).join(', ');
    const other = Object.entries(n.window.errors).map(([kind, count]) => `${kind} ${count}`);
    console.log(
      `  ${n.name.padEnd(16)} ${String(n.window.commands).padStart(9)} commands  CPU ${n.window.cpuSeconds.toFixed(2)} s ` +
        `(${((n.window.cpuSeconds / m.seconds) * 100).toFixed(0)} % of a core)  ${(m.lifecycles / m.nodes.length / n.window.cpuSeconds).toFixed(0)} lifecycles/CPU-s at an even share` +
        `  | whole run: ${routing}${other.length ? `; in the window: ${other.join(', ')}` : ''}`,
    );
  }
  if (m.nodes.length > 1) {
    console.log(`  spread of commands: ${spread(m.nodes.map((n) => n.window.commands)).text}`);
    console.log(`  spread of CPU:      ${spread(m.nodes.map((n) => n.window.cpuSeconds)).text}`);
  }
  console.log(`  lifecycles per Redis CPU-second (all servers): ${perCpuSecond(m).toFixed(0)}`);
}

/** The name (as `prepare` gives it) of the master serving `slot`. */
async function holderOf(node: Redis, slot: number): Promise<string | undefined> {
  const ranges = (await node.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
  const range = ranges.find(([first, last]) => slot >= first && slot <= last);
  return range && `master :${range[2][1]}`;
}

async function main(): Promise<void> {
  console.log(
    `${SHAPE.workspaces} workspaces × (${SHAPE.workersPerWorkspace} workers, ${SHAPE.queuesPerWorkspace} queues, ${SHAPE.callersPerWorkspace} callers), ` +
      `${LIFECYCLES} lifecycles each measured in ${ROUNDS} rounds after ${WARM_LIFECYCLES} uncounted; placement: ${PLACEMENT}`,
  );
  console.log(
    `where: the engine in this one Node process (pid ${process.pid}), for the cluster and the single server alike; ` +
      `each Redis a redis-server process of its own; all on this ${os.cpus().length}-core machine`,
  );

  const cluster = await startRedisCluster(MASTERS);
  const plain = await startOwnRedis();
  const admins = [...cluster.url.split(','), plain.url].map((url) => new Redis(url));
  const targets: Target[] = [];
  let registryMaster: string | undefined;
  try {
    targets.push(
      await prepare(
        `Redis Cluster, ${MASTERS} masters`,
        cluster.url,
        true,
        admins.slice(0, MASTERS).map((redis) => ({ name: `master :${redis.options.port}`, redis })),
      ),
    );
    registryMaster = await holderOf(admins[0]!, hashSlot('{registry}'));
    targets.push(await prepare('one Redis server', plain.url, false, [{ name: `single :${plain.port}`, redis: admins[MASTERS]! }]));
    // The two take turns, in alternating order, so the machine's drift and this process's state weigh on both alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) await measureRound(t, LIFECYCLES / ROUNDS);
    }
  } finally {
    await Promise.all(targets.map(finish));
    await Promise.all(admins.map((a) => a.quit()));
    await Promise.all([cluster.stop(), plain.stop()]);
  }
  const [onCluster, onOne] = targets.map((t) => t.measured) as [Measured, Measured];
  console.log(`\nthe registries ({registry}) live on master :${registryMaster?.split(':')[1]}`);
  report(targets[0]!.label, onCluster);
  report(targets[1]!.label, onOne);

  const ratio = perCpuSecond(onCluster) / perCpuSecond(onOne);
  console.log(`\ncluster ÷ one server, lifecycles per Redis CPU-second: ${ratio.toFixed(3)} (${((ratio - 1) * 100).toFixed(1)} %)`);

  console.log(projection(onCluster, registryMaster));
}

await main();
