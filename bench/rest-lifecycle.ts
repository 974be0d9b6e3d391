/**
 * REST benchmark: task lifecycles through the TaskRouter API, as an application runs them (create the task, find its
 * pending reservation, accept it, complete the task), by CONCURRENCY callers of a client in its own process (see
 * rest/load-client.ts), against a Switchboard server process — the embedded store (journaled, as `npm start` runs
 * it) and, with REDIS_URL, the Redis store — and, in the same run with the same client, against an empty express app
 * and bare node:http answering the same four requests (rest/ceiling-servers.ts): the ceilings Switchboard is judged by.
 *
 *   npm run bench:rest
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:rest
 *
 * Prints, per target: lifecycles/s, requests/s, request latency percentiles, and the server's CPU per request (read
 * from /proc at the measured window's edges); then Switchboard's lifecycles/s as a share of the empty express app's
 * (its requests/s ÷ 4). The floor (rest/engine-floor.ts) runs the same operations through the engine alone, with no
 * HTTP: an empty express request plus that is the least a request can cost, which bounds the share any work on the
 * layers between them could reach.
 *
 * Options (env): CONCURRENCY (16), SECONDS (10, after WARM_UP_SECONDS, 3, uncounted), WORKERS (64), LOG_LEVEL (the
 * server's; info), SERVER_NODE_ARGS (node options for the Switchboard server, e.g. `--cpu-prof --cpu-prof-dir=prof`),
 * CEILING_NODE_ARGS (the same for the ceilings' servers), TARGETS (which to run, comma-separated:
 * embedded,redis,floor,express,http — all by default; the Redis ones with REDIS_URL).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { cpuMs, startServer, stopServer } from './server-process.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const WORKERS = Number(process.env.WORKERS ?? 64);
const ACCOUNT = 'AC' + randomBytes(16).toString('hex');
const TOKEN = randomBytes(16).toString('hex');

interface LoadResult {
  lifecycles: number;
  requests: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  steps: Record<string, { p50: number; p99: number }>;
}

interface Measured extends LoadResult {
  target: string;
  cpuMsPerRequest: number;
}

async function runClient(base: string, workspace: string, workflow: string, serverPid: number): Promise<{ result: LoadResult; cpu: number }> {
  const client = spawn(process.execPath, [join(HERE, 'rest', 'load-client.js'), base, workspace, workflow, `${ACCOUNT}:${TOKEN}`], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let opened = 0;
  let cpu = 0;
  let result: LoadResult | null = null;
  for await (const line of createInterface({ input: client.stdout })) {
    if (line === 'window-open') opened = cpuMs(serverPid);
    else if (line === 'window-closed') cpu = cpuMs(serverPid) - opened;
    else result = JSON.parse(line) as LoadResult;
  }
  if (!result) throw new Error('the load client printed no result');
  return { result, cpu };
}

/** A workspace whose queue takes every task, WORKERS workers available, and its workflow. */
async function setUp(base: string): Promise<{ workspace: string; workflow: string }> {
  const auth = 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64');
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${base}/v1${path}`, { method: 'POST', headers: { authorization: auth }, body: new URLSearchParams(form) });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  const workspace = (await post('/Workspaces', { FriendlyName: 'REST bench' })).sid!;
  const activities = (await (await fetch(`${base}/v1/Workspaces/${workspace}/Activities`, { headers: { authorization: auth } })).json()) as {
    activities: Array<{ sid: string; friendly_name: string }>;
  };
  const available = activities.activities.find((a) => a.friendly_name === 'Available')!.sid;
  const queue = (await post(`/Workspaces/${workspace}/TaskQueues`, { FriendlyName: 'All', TargetWorkers: '1==1' })).sid!;
  const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } });
  const workflow = (await post(`/Workspaces/${workspace}/Workflows`, { FriendlyName: 'All', Configuration: configuration })).sid!;
  for (let i = 0; i < WORKERS; i++) await post(`/Workspaces/${workspace}/Workers`, { FriendlyName: `agent-${i}`, ActivitySid: available });
  return { workspace, workflow };
}

async function measureSwitchboard(target: string, env: NodeJS.ProcessEnv): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-rest-bench-'));
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { child, port } = await startServer(ROOT, [...nodeArgs, '--enable-source-maps', 'dist/src/main.js'], {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: TOKEN,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    LOG_FORMAT: 'json',
    ...env,
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    const { workspace, workflow } = await setUp(base);
    const { result, cpu } = await runClient(base, workspace, workflow, child.pid!);
    return { target, ...result, cpuMsPerRequest: cpu / result.requests };
  } finally {
    await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureCeiling(kind: 'express' | 'http'): Promise<Measured> {
  const { child, port } = await startServer(
    ROOT,
    [...(process.env.CEILING_NODE_ARGS ?? '').split(' ').filter(Boolean), join(HERE, 'rest', 'ceiling-servers.js'), kind],
    process.env,
  );
  try {
    const { result, cpu } = await runClient(`http://127.0.0.1:${port}`, 'WS' + '0'.repeat(32), 'WW' + '0'.repeat(32), child.pid!);
    return { target: kind === 'express' ? 'empty express 5' : 'bare node:http', ...result, cpuMsPerRequest: cpu / result.requests };
  } finally {
    await stopServer(child);
  }
}

function row(m: Measured): string {
  const perSecond = (n: number) => Math.round(n / m.seconds).toLocaleString('en-US');
  return [
    m.target.padEnd(26),
    `${perSecond(m.lifecycles)} lifecycles/s`.padEnd(20),
    `${perSecond(m.requests)} req/s`.padEnd(14),
    `p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms`.padEnd(28),
    `server CPU ${(m.cpuMsPerRequest * 1000).toFixed(0)} µs/request`,
  ].join(' ');
}

interface Floor {
  target: string;
  lifecycles: number;
  seconds: number;
  cpuUsPerOperation: number;
}

/** The engine alone, no HTTP, on the same store (rest/engine-floor.ts): what no REST request can cost less than. */
async function measureFloor(target: string, env: NodeJS.ProcessEnv): Promise<Floor> {
  const child = spawn(process.execPath, [join(HERE, 'rest', 'engine-floor.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let floor: Floor | null = null;
  for await (const line of createInterface({ input: child.stdout })) floor = { target, ...(JSON.parse(line) as Omit<Floor, 'target'>) };
  if (!floor) throw new Error('the engine floor printed no result');
  return floor;
}

/** Which targets to run (TARGETS, comma-separated): all by default, redis ones only with REDIS_URL. */
const TARGETS = new Set((process.env.TARGETS ?? 'embedded,redis,floor,express,http').split(','));
const redisEnv = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `sbrest:${process.pid}:` } : null;
const results: Measured[] = [];
const floors: Floor[] = [];
if (TARGETS.has('embedded')) results.push(await measureSwitchboard('switchboard (embedded)', {}));
if (TARGETS.has('redis') && redisEnv) results.push(await measureSwitchboard('switchboard (redis)', redisEnv));
if (TARGETS.has('floor')) {
  floors.push(await measureFloor('engine alone (embedded)', { REDIS_URL: '' }));
  if (redisEnv) floors.push(await measureFloor('engine alone (redis)', { REDIS_URL: redisEnv.REDIS_URL }));
}
const express = TARGETS.has('express') ? await measureCeiling('express') : null;
if (express) results.push(express);
if (TARGETS.has('http')) results.push(await measureCeiling('http'));
console.log(`concurrency ${process.env.CONCURRENCY ?? 16}, ${WORKERS} workers, ${results[0]?.seconds.toFixed(1) ?? '-'} s windows`);
for (const m of results) console.log(row(m));
for (const f of floors) {
  const rate = Math.round(f.lifecycles / f.seconds).toLocaleString('en-US');
  console.log(
    `${f.target.padEnd(26)} ${`${rate} lifecycles/s`.padEnd(20)} no HTTP, 4 operations a lifecycle      process CPU ${f.cpuUsPerOperation.toFixed(0)} µs/operation`,
  );
}
if (express) {
  const ceiling = express.requests / 4 / express.seconds;
  for (const m of results.filter((r) => r.target.startsWith('switchboard'))) {
    const rate = m.lifecycles / m.seconds;
    console.log(`${m.target}: ${(rate / ceiling).toFixed(2)} × the empty express app's ceiling (${Math.round(ceiling)} lifecycles/s = its requests/s ÷ 4)`);
    console.log(
      `  per step p50/p99 ms: ${Object.entries(m.steps)
        .map(([step, s]) => `${step} ${s.p50.toFixed(2)}/${s.p99.toFixed(2)}`)
        .join(', ')}`,
    );
  }
  // A request costs at least an empty express request plus the engine's work for it; with the server's one core the
  // bound, the share of the ceiling can be no more than their ratio.
  const expressCpu = express.cpuMsPerRequest * 1000;
  for (const f of floors) {
    console.log(
      `${f.target}: at most ${(expressCpu / (expressCpu + f.cpuUsPerOperation)).toFixed(2)} × the ceiling with nothing between express and the engine (express ${expressCpu.toFixed(0)} + engine ${f.cpuUsPerOperation.toFixed(0)} µs a request)`,
    );
  }
}
