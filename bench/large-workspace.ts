/**
 * Large-workspace benchmark: one workspace of AGENTS (50,000) available agents on Redis, tasks created through the
 * REST API at a large contact center's arrival rate (RATE, 365 a second), and the time from just before a task's
 * create request is sent to its reservation reaching the application: the workflow's AssignmentCallbackUrl, POSTed
 * by the server to a loopback receiver in the client. That is the moment TaskRouter tells an application "this
 * agent, this task"; the create → reservation time measured includes the create request (HTTP, auth, body parsing,
 * the engine's two Redis calls), the reservation.created event reaching the server's assignment delivery (through
 * the workspace's events stream) and the callback's HTTP POST.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench/large-workspace.js
 *
 * What runs where (the machine's cores are shared by all): a redis-server of the benchmark's own (started and
 * stopped by it); SERVERS Switchboard server processes from dist (1) on that Redis; the load client, a process of
 * its own (large/load-client.ts) that also receives the callbacks and acts as the agents (accept, then complete
 * HANDLE_MS later, through the API). The workspace, AGENTS workers over QUEUES queues, is written by this process
 * straight through the engine before the servers start, once, and kept for later runs (see `workspaceRedis`); its
 * AssignmentCallbackUrl is set through the API once a server runs. Prints the create → reservation percentiles for the tasks created
 * in the SECONDS window after WARM_UP_SECONDS uncounted, each request's latency, and the CPU of every process over
 * the window: the servers', Redis's, the client's.
 *
 * Options (env): AGENTS (50000), QUEUES (50), RATE (365), SECONDS (30), WARM_UP_SECONDS (10), SERVERS (1),
 * HANDLE_MS (2000), MODE (`lifecycle`; `create-only`: agents never answer, so only create requests are made),
 * LOG_LEVEL (the servers'; info), SERVER_NODE_ARGS (node options for the servers, e.g. `--cpu-prof --cpu-prof-dir=prof`),
 * SERVER_LOG_FILE (keep the servers' log there). docs/performance-cluster.md holds the figures.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisStore } from '../src/store/redis/redis-store.js';
import { freePort, startOwnRedis, type OwnRedis } from '../test/helpers/redis-server.js';
import { createLargeWorkspace } from './large/agents.js';
import { cpuMs, startServer, stopServer } from './server-process.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const AGENTS = Number(process.env.AGENTS ?? 50_000);
const QUEUES = Number(process.env.QUEUES ?? 50);
const SERVERS = Number(process.env.SERVERS ?? 1);
const PREFIX = 'switchboard:';

interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface ClientResult {
  mode: string;
  seconds: number;
  sentInWindow: number;
  reservation: Summary;
  noReservation: number;
  requests: Record<string, Summary>;
  failures: Record<string, number>;
  firstFailure: string | null;
  completedSoFar: number;
  clientCpuPercent: number;
  latestSendMs: number;
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const text = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(text)![1]);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** Runs the client to its end; reads every server's CPU and Redis's at the window's edges. */
async function runClient(args: string[], servers: ChildProcess[], redis: Redis): Promise<{ result: ClientResult; serverCpuMs: number[]; redisCpuS: number }> {
  const client = spawn(process.execPath, [join(HERE, 'large', 'load-client.js'), ...args], {
    env: { ...process.env, QUEUES: String(QUEUES) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let opened: number[] = [];
  let serverCpuMs: number[] = [];
  let redisOpened = 0;
  let redisCpuS = 0;
  let result: ClientResult | null = null;
  for await (const line of createInterface({ input: client.stdout })) {
    if (line === 'window-open') {
      opened = servers.map((s) => cpuMs(s.pid!));
      redisOpened = await redisCpuSeconds(redis);
    } else if (line === 'window-closed') {
      serverCpuMs = servers.map((s, i) => cpuMs(s.pid!) - opened[i]!);
      redisCpuS = (await redisCpuSeconds(redis)) - redisOpened;
    } else result = JSON.parse(line) as ClientResult;
  }
  if (!result) throw new Error('the load client printed no result');
  return { result, serverCpuMs, redisCpuS };
}

const ms = (x: number | null) => (typeof x === 'number' && Number.isFinite(x) ? `${x.toFixed(2)} ms` : '—');
const line = (s: Summary) => `p50 ${ms(s.p50)}, p90 ${ms(s.p90)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (${s.n})`;

/**
 * The workspace's Redis. Writing 50,000 agents through the engine takes about two minutes on the 2-core VM, so the
 * first run saves Redis's dataset in a directory kept under the system's temporary directory, with the workspace's
 * sids and credentials beside it; later runs start their own redis-server from that file (nothing is written back:
 * every run starts from the same workspace). Remove the directory to build it again.
 */
async function workspaceRedis(): Promise<{ redis: OwnRedis; saved: SavedWorkspace }> {
  const dir = join(os.tmpdir(), `switchboard-large-workspace-${AGENTS}-${QUEUES}`);
  mkdirSync(dir, { recursive: true });
  const redis = await startOwnRedis({ args: ['--dir', dir, '--dbfilename', 'workspace.rdb'] });
  const savedFile = join(dir, 'workspace.json');
  if (existsSync(savedFile)) {
    console.log(`workspace of ${AGENTS.toLocaleString('en-US')} agents loaded from ${dir}`);
    return { redis, saved: JSON.parse(readFileSync(savedFile, 'utf8')) as SavedWorkspace };
  }
  const started = performance.now();
  const account = 'AC' + randomBytes(16).toString('hex');
  const store = await RedisStore.connect(redis.url, { prefix: PREFIX });
  const { workspace, workflow } = await createLargeWorkspace(store, account, { agents: AGENTS, queues: QUEUES, parallel: 32 });
  await store.close();
  const saved: SavedWorkspace = { account, token: randomBytes(16).toString('hex'), workspace, workflow };
  const admin = new Redis(redis.url);
  await admin.save();
  await admin.quit();
  writeFileSync(savedFile, JSON.stringify(saved));
  console.log(
    `set up ${AGENTS.toLocaleString('en-US')} agents over ${QUEUES} queues in one workspace in ${((performance.now() - started) / 1000).toFixed(1)} s, saved in ${dir}`,
  );
  return { redis, saved };
}

interface SavedWorkspace {
  account: string;
  token: string;
  workspace: string;
  workflow: string;
}

/** Points the workflow's AssignmentCallbackUrl at the receiver through the API, as the application would. */
async function setCallback(server: string, saved: SavedWorkspace, url: string): Promise<void> {
  const res = await fetch(`${server}/v1/Workspaces/${saved.workspace}/Workflows/${saved.workflow}`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${saved.account}:${saved.token}`).toString('base64') },
    body: new URLSearchParams({ AssignmentCallbackUrl: url }),
  });
  if (!res.ok) throw new Error(`setting the AssignmentCallbackUrl: ${res.status} ${await res.text()}`);
}

async function main(): Promise<void> {
  const { redis: ownRedis, saved } = await workspaceRedis();
  const admin = new Redis(ownRedis.url);
  const dataDir = mkdtempSync(join(os.tmpdir(), 'switchboard-large-bench-'));
  const servers: ChildProcess[] = [];
  try {
    const receiverPort = await freePort();
    const urls: string[] = [];
    for (let i = 0; i < SERVERS; i++) {
      const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const { child, port } = await startServer(ROOT, [...nodeArgs, '--enable-source-maps', 'dist/src/main.js'], {
        ...process.env,
        PORT: '0',
        DATA_DIR: join(dataDir, String(i)),
        REDIS_URL: ownRedis.url,
        REDIS_PREFIX: PREFIX,
        TWILIO_ACCOUNT_SID: saved.account,
        TWILIO_AUTH_TOKEN: saved.token,
        CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        LOG_FORMAT: 'json',
      });
      servers.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    console.log(
      `where: ${SERVERS} Switchboard server process(es) (pid ${servers.map((s) => s.pid).join(', ')}), one redis-server (:${ownRedis.port}), ` +
        `the load client and callback receiver in a process of its own; all on this ${os.cpus().length}-core machine`,
    );

    await setCallback(urls[0]!, saved, `http://127.0.0.1:${receiverPort}/assignment`);
    const {
      result: r,
      serverCpuMs,
      redisCpuS,
    } = await runClient([String(receiverPort), saved.workspace, saved.workflow, `${saved.account}:${saved.token}`, ...urls], servers, admin);
    const rate = r.sentInWindow / r.seconds;
    console.log(`mode ${r.mode}: ${r.sentInWindow} tasks created in the ${r.seconds.toFixed(1)} s window (${rate.toFixed(0)}/s)`);
    console.log(`create → reservation (assignment callback received): ${line(r.reservation)}; ${r.noReservation} without one`);
    for (const [step, s] of Object.entries(r.requests)) if (s.n > 0) console.log(`  ${step.padEnd(8)} request: ${line(s)}`);
    const failed = Object.entries(r.failures).filter(([, n]) => n > 0);
    console.log(`failed requests: ${failed.length ? failed.map(([step, n]) => `${step} ${n}`).join(', ') + ` (first: ${r.firstFailure})` : 'none'}`);
    const requests = Object.values(r.requests).reduce((sum, s) => sum + s.n, 0);
    serverCpuMs.forEach((cpu, i) =>
      console.log(
        `server ${i + 1} CPU: ${((cpu / 1000 / r.seconds) * 100).toFixed(0)} % of a core, ${((cpu / requests) * SERVERS * 1000).toFixed(0)} µs per request it served (at an even share)`,
      ),
    );
    console.log(
      `Redis CPU: ${((redisCpuS / r.seconds) * 100).toFixed(0)} % of a core; load client CPU: ${r.clientCpuPercent.toFixed(0)} % of a core, sends at most ${ms(r.latestSendMs)} late`,
    );
    console.log(`requests in the window: ${(requests / r.seconds).toFixed(0)}/s; tasks completed by the end: ${r.completedSoFar}`);
  } finally {
    await Promise.all(servers.map(stopServer));
    await admin.quit();
    await ownRedis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
