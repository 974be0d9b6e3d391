/**
 * The engine against BullMQ on the same Redis: task lifecycles (create → reservation → accept → complete) against
 * BullMQ jobs (add → process → complete), both at the same concurrency, in one process, alternating A B A B so the
 * machine's drift weighs on both alike.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench/engine-vs-bullmq.js
 *
 * Runs the compiled build, as bench/assignment.ts explains. Options (env): REDIS_URL (redis://127.0.0.1:6379),
 * CONCURRENCY (16), SECONDS (4: each measured window), ROUNDS (3), WORKERS (64 available workers, one queue).
 * Both sides run in this one Node process, which talks to Redis on the same machine: the process's CPU and Redis's
 * CPU (INFO cpu) are printed per unit of work for each side, so whichever of the two is saturated shows.
 * docs/performance-engine.md holds the figures and how to read them.
 */
import { performance } from 'node:perf_hooks';
import { measureRedis, removeKeys, calibrateRedis, formatCalibration, type RedisCost } from './redis-stats.js';
import { bullmqSide } from './engine/bullmq-side.js';
import { engineSide } from './engine/engine-side.js';
import type { Side, SideResult } from './engine/side.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WORKERS = Number(process.env.WORKERS ?? 64);
const WARM_UP_SECONDS = 2;

const PREFIX = `sbbench-evb:${process.pid}`;

/** One measured window of a side: units done, this process's CPU and Redis's cost per unit. */
async function measure(side: Side, seconds: number): Promise<SideResult> {
  let done = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const redis: RedisCost = await measureRedis(REDIS_URL, 1, async () => {
    done = await side.run(seconds * 1000, CONCURRENCY);
  });
  const elapsed = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    rate: done / elapsed,
    processCpuUsec: (used.user + used.system) / done,
    processCpuShare: (used.user + used.system) / 1e6 / elapsed,
    redisCpuUsec: redis.cpuUsec / done,
    redisCpuShare: redis.cpuUsec / 1e6 / elapsed,
    commands: redis.commands / done,
    scriptUsec: redis.scriptUsec / done,
    bytesIn: redis.bytesIn / done,
    done,
  };
}

function line(name: string, unit: string, r: SideResult): string {
  return (
    `${name.padEnd(7)} ${r.rate.toFixed(0).padStart(6)} ${unit}/s | process CPU ${r.processCpuUsec.toFixed(0).padStart(4)} µs/${unit} (${(r.processCpuShare * 100).toFixed(0)} % of a core)` +
    ` | Redis CPU ${r.redisCpuUsec.toFixed(0).padStart(4)} µs/${unit} (${(r.redisCpuShare * 100).toFixed(0)} % of a core), scripts ${r.scriptUsec.toFixed(0)} µs, ${r.commands.toFixed(1)} commands, ${r.bytesIn.toFixed(0)} bytes sent`
  );
}

function range(values: number[], digits = 0): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo.toFixed(digits) === hi.toFixed(digits) ? lo.toFixed(digits) : `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
}

async function main(): Promise<void> {
  console.log(
    `engine vs BullMQ on ${REDIS_URL}: concurrency ${CONCURRENCY}, ${ROUNDS} rounds of ${SECONDS} s each side, ${WORKERS} workers; ` +
      `both sides and the load in this one Node process (pid ${process.pid}), Redis in its own process on the same machine`,
  );
  const bull = await bullmqSide(REDIS_URL, `${PREFIX}:bull`);
  const engine = await engineSide(REDIS_URL, `${PREFIX}:engine:`, WORKERS);
  try {
    await measure(bull, WARM_UP_SECONDS);
    await measure(engine, WARM_UP_SECONDS);
    const results: { bull: SideResult[]; engine: SideResult[] } = { bull: [], engine: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // A B, then B A: each side goes first in half the rounds.
      const order = round % 2 === 0 ? (['bull', 'engine'] as const) : (['engine', 'bull'] as const);
      for (const which of order) results[which].push(await measure(which === 'bull' ? bull : engine, SECONDS));
      const b = results.bull[round]!;
      const e = results.engine[round]!;
      console.log(`round ${round + 1}:`);
      console.log('  ' + line('BullMQ', 'job', b));
      console.log('  ' + line('engine', 'lifecycle', e));
      console.log(`  ratio engine/BullMQ ${(e.rate / b.rate).toFixed(2)}; Redis CPU per unit engine/BullMQ ${(e.redisCpuUsec / b.redisCpuUsec).toFixed(2)}`);
    }
    const ratios = results.engine.map((e, i) => e.rate / results.bull[i]!.rate);
    console.log(
      `summary: ratio ${range(ratios, 2)}; BullMQ ${range(results.bull.map((r) => r.rate))} jobs/s, Redis CPU ${range(results.bull.map((r) => r.redisCpuUsec))} µs/job, ` +
        `process ${range(results.bull.map((r) => r.processCpuUsec))} µs/job; engine ${range(results.engine.map((r) => r.rate))} lifecycles/s, ` +
        `Redis CPU ${range(results.engine.map((r) => r.redisCpuUsec))} µs/lifecycle, process ${range(results.engine.map((r) => r.processCpuUsec))} µs/lifecycle`,
    );
    console.log(formatCalibration(await calibrateRedis(REDIS_URL)));
  } finally {
    await bull.close();
    await engine.close();
    await removeKeys(REDIS_URL, PREFIX);
  }
}

await main();
