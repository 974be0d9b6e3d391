/**
 * The push benchmark's client, in a process of its own so its cost is not the server's. It sets the workspace up
 * through the REST API, then, each when told on stdin, connects the agents' sockets and runs the load:
 *
 *   set-up   a workspace with WORKERS workers, available, capacity 1 on the voice channel (the default), a queue of
 *            them all and a workflow sending every task there: applied by the server from its configuration file
 *            (workspace-file.ts) and read here, or with SETUP=rest created here       → prints {"phase":"set-up"}
 *   connect  a token per worker, minted as the project mints them (access/taskrouter-token.ts) with the deployment's
 *            API key; the first worker's socket is the real `twilio-taskrouter` Worker, the others lean agents
 *            speaking its protocol (lean-agent.ts); each bootstraps after `init` as the SDK does → {"phase":"connected"}
 *   load     tasks created through the REST API at RATE/s, WARM_UP_SECONDS uncounted then SECONDS measured; each task
 *            carries its number in its attributes, so its `reservation.created` frame, read from whichever socket it
 *            reaches, is matched to the moment just before its create request was sent (one process, one clock).
 *            Agents answer as AGENTS says. Then DRAIN_SECONDS for late frames                → prints the result
 *
 *   node dist/bench/push/agents.js <base url> <user:password> <SK…:secret>
 */
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import taskrouter, { type Reservation, type Worker } from 'twilio-taskrouter';
import { mintTaskRouterToken } from '../../src/access/taskrouter-token.js';
import { inParallel, restCall, serverAt } from './http-calls.js';
import { LeanAgent, type Bootstrap, type ReservationFrame } from './lean-agent.js';
import { WORKSPACE_NAME } from './workspace-file.js';

const [base, credentials, signingKey] = process.argv.slice(2) as [string, string, string];
const WORKERS = Number(process.env.WORKERS ?? 10_000);
const RATE = Number(process.env.RATE ?? 500);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WARM_UP_SECONDS = Number(process.env.WARM_UP_SECONDS ?? 3);
const DRAIN_SECONDS = Number(process.env.DRAIN_SECONDS ?? 2);
/**
 * `accept-complete` (default): an agent accepts a reservation as soon as it rings and completes the task
 * HANDLE_SECONDS later, both through the SDK's requests, so workers come back; `hold`: agents answer nothing, each
 * worker takes one task (the run must then create fewer tasks than there are workers).
 */
const AGENTS = process.env.AGENTS ?? 'accept-complete';
const HANDLE_SECONDS = Number(process.env.HANDLE_SECONDS ?? 10);
const BOOTSTRAP = (process.env.BOOTSTRAP ?? 'last') as Bootstrap;
const accountSid = credentials.split(':')[0]!;
const [keySid, keySecret] = signingKey.split(':') as [string, string];

let server = serverAt(base, credentials, 64);
const wsServer = `${base.replace(/^http/, 'ws')}/v1/wschannels`;

/**
 * On a machine loaded past its cores, a connection is now and then reset under a request some library sent without
 * hearing its errors (seen while ten thousand sockets connect): counted and reported rather than ending the run.
 */
let unheardResets = 0;
process.on('uncaughtException', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'ECONNRESET') throw err;
  unheardResets += 1;
});

const lines = createInterface({ input: process.stdin });
const commands = lines[Symbol.asyncIterator]();
async function told(command: string): Promise<void> {
  const line = await commands.next();
  if (line.done || line.value !== command) throw new Error(`expected "${command}" on stdin, got ${JSON.stringify(line.value)}`);
}
function say(line: unknown): void {
  process.stdout.write((typeof line === 'string' ? line : JSON.stringify(line)) + '\n');
}

/** The workspace the server applied from its configuration file (workspace-file.ts), read through the REST API. */
async function appliedWorkspace(): Promise<{ workspace: string; workflow: string; workers: string[] }> {
  const spaces = (await restCall(server, 'GET', `/Workspaces?FriendlyName=${encodeURIComponent(WORKSPACE_NAME)}`)) as { workspaces: Array<{ sid: string }> };
  const workspace = spaces.workspaces[0]!.sid;
  const workflows = (await restCall(server, 'GET', `/Workspaces/${workspace}/Workflows`)) as { workflows: Array<{ sid: string }> };
  const byName = new Map<string, string>();
  let page: string | null = `/Workspaces/${workspace}/Workers?PageSize=1000`;
  while (page) {
    const list = (await restCall(server, 'GET', page)) as { workers: Array<{ sid: string; friendly_name: string }>; meta: { next_page_url: string | null } };
    for (const w of list.workers) byName.set(w.friendly_name, w.sid);
    page = list.meta.next_page_url === null ? null : new URL(list.meta.next_page_url).pathname.replace(/^\/v1/, '') + new URL(list.meta.next_page_url).search;
  }
  const workers = Array.from({ length: byName.size }, (_, i) => byName.get(`agent-${i}`)!);
  return { workspace, workflow: workflows.workflows[0]!.sid, workers };
}

/** The same workspace set up through the REST API, one call at a time per caller, as a script of an operator's would. */
async function setUpThroughRest(): Promise<{ workspace: string; workflow: string; workers: string[] }> {
  const workspace = String((await restCall(server, 'POST', '/Workspaces', { FriendlyName: WORKSPACE_NAME })).sid);
  const activities = (await restCall(server, 'GET', `/Workspaces/${workspace}/Activities`)) as { activities: Array<{ sid: string; friendly_name: string }> };
  const available = activities.activities.find((a) => a.friendly_name === 'Available')!.sid;
  const queue = String((await restCall(server, 'POST', `/Workspaces/${workspace}/TaskQueues`, { FriendlyName: 'All', TargetWorkers: '1==1' })).sid);
  const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } });
  const workflow = String((await restCall(server, 'POST', `/Workspaces/${workspace}/Workflows`, { FriendlyName: 'All', Configuration: configuration })).sid);
  const workers = new Array<string>(WORKERS);
  // The first worker is created alone, first: the longest idle, it is offered the first task (to the real SDK).
  const create = async (_: unknown, i: number): Promise<void> => {
    workers[i] = String((await restCall(server, 'POST', `/Workspaces/${workspace}/Workers`, { FriendlyName: `agent-${i}`, ActivitySid: available })).sid);
  };
  await create(null, 0);
  await inParallel(
    Array.from({ length: WORKERS - 1 }, (_, i) => i + 1),
    16,
    (i) => create(null, i),
  );
  return { workspace, workflow, workers };
}

/** Arrival times of `reservation.created` frames, by task number, and what else arrived. */
const sentAt: number[] = [];
/** When each create request was answered: the frame's arrival after it is the push path's own share. */
const answeredAt: number[] = [];
const arrivedAt: number[] = [];
const leanLatency = new Map<number, number>();
const sdkLatency = new Map<number, number>();
const duplicates = { count: 0 };
const frames = new Map<string, number>();
const closed = { count: 0 };
const failures: string[] = [];

function noteFailure(err: unknown): void {
  if (failures.length < 5) failures.push(err instanceof Error ? err.message : String(err));
  else failures.push('');
}

function arrived(latencies: Map<number, number>, taskNumber: number, at: number): void {
  if (leanLatency.has(taskNumber) || sdkLatency.has(taskNumber)) duplicates.count += 1;
  else {
    latencies.set(taskNumber, at - sentAt[taskNumber]!);
    arrivedAt[taskNumber] = at;
  }
}

function onFrame(agent: LeanAgent, eventType: string, payload: unknown, at: number): void {
  frames.set(eventType, (frames.get(eventType) ?? 0) + 1);
  if (eventType === 'closed') closed.count += 1;
  if (eventType !== 'reservation.created') return;
  const reservation = payload as ReservationFrame;
  const taskNumber = (JSON.parse(reservation.task.attributes) as { bench: number }).bench;
  arrived(leanLatency, taskNumber, at);
  if (AGENTS !== 'accept-complete') return;
  agent
    .accept(server, reservation.sid)
    .then(() => new Promise((resolve) => setTimeout(resolve, HANDLE_SECONDS * 1000)))
    .then(() => agent.complete(server, reservation.task.sid))
    .catch(noteFailure);
}

async function connectSdkWorker(workspace: string, workerSid: string, token: string): Promise<Worker> {
  // A CommonJS package: its classes come off the default export under node's ESM loader.
  const worker = new taskrouter.Worker(token, { ebServer: `${base}/v1/wschannels`, wsServer, logLevel: 'silent' } as object);
  await new Promise<void>((resolve, reject) => {
    worker.once('ready', () => resolve());
    worker.once('error', (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
  });
  worker.on('reservationCreated', (reservation: Reservation) => {
    const at = performance.now();
    arrived(sdkLatency, (reservation.task.attributes as { bench: number }).bench, at);
    if (AGENTS !== 'accept-complete') return;
    reservation
      .accept()
      .then(() => new Promise((resolve) => setTimeout(resolve, HANDLE_SECONDS * 1000)))
      .then(() => reservation.task.complete('bench'))
      .catch(noteFailure);
  });
  void workspace;
  return worker;
}

async function connect(workspace: string, workers: string[]): Promise<{ agents: LeanAgent[]; sdk: Worker }> {
  const key = { sid: keySid, secret: keySecret };
  const tokenOf = (workerSid: string): string =>
    mintTaskRouterToken(accountSid, key, { identity: workerSid, workspaceSid: workspace, workerSid, role: 'worker' }, 3600);
  const sdk = await connectSdkWorker(workspace, workers[0]!, tokenOf(workers[0]!));
  const agents = workers.slice(1).map((sid) => new LeanAgent(workspace, sid, tokenOf(sid)));
  await inParallel(agents, 64, async (agent) => {
    // An agent whose connection failed tries again once, as the SDK reconnects.
    await agent.connect(wsServer, onFrame).catch(() => agent.connect(wsServer, onFrame));
    await agent.bootstrap(server, BOOTSTRAP).catch(() => agent.bootstrap(server, BOOTSTRAP));
  });
  return { agents, sdk };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(workspace: string, workflow: string): Promise<void> {
  const total = Math.round(RATE * (WARM_UP_SECONDS + SECONDS));
  if (AGENTS === 'hold' && total >= WORKERS) throw new Error(`AGENTS=hold: ${total} tasks would need more than ${WORKERS} workers`);
  const firstMeasured = Math.round(RATE * WARM_UP_SECONDS);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const started = performance.now();
  let sent = 0;
  let createErrors = 0;
  const answered: number[] = [];
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
      while (sent < due) {
        const n = sent++;
        if (n === firstMeasured) {
          say('window-open');
          delay.enable();
        }
        sentAt[n] = performance.now();
        restCall(server, 'POST', `/Workspaces/${workspace}/Tasks`, { WorkflowSid: workflow, TaskChannel: 'voice', Attributes: `{"bench":${n}}` }).then(
          () => {
            answeredAt[n] = performance.now();
            if (n >= firstMeasured) answered.push(answeredAt[n] - sentAt[n]!);
          },
          (err: unknown) => {
            createErrors += 1;
            noteFailure(err);
          },
        );
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  delay.disable();
  say('window-closed');
  const windowSeconds = (performance.now() - sentAt[firstMeasured]!) / 1000;
  await new Promise((resolve) => setTimeout(resolve, DRAIN_SECONDS * 1000));
  const measured: number[] = [];
  let lost = 0;
  let unanswered = 0;
  for (let n = firstMeasured; n < total; n++) {
    const latency = leanLatency.get(n) ?? sdkLatency.get(n);
    // A task whose create request is still unanswered (queued behind a saturated server) is not a frame lost.
    if (latency === undefined && answeredAt[n] === undefined) unanswered += 1;
    else if (latency === undefined) lost += 1;
    else if (leanLatency.has(n)) measured.push(latency);
  }
  measured.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  // Negative when the frame came before the create request's answer.
  const afterAnswer: number[] = [];
  for (let n = firstMeasured; n < total; n++) if (arrivedAt[n] !== undefined && answeredAt[n] !== undefined) afterAnswer.push(arrivedAt[n]! - answeredAt[n]!);
  afterAnswer.sort((a, b) => a - b);
  const sdk = [...sdkLatency.values()];
  // The window second by second (by when the create was sent): whether a slow stretch lines up with something the
  // server did then (a journal snapshot, a major collection).
  const bySecond: number[][] = [];
  for (let n = firstMeasured; n < total; n++) {
    const latency = leanLatency.get(n);
    if (latency === undefined) continue;
    const second = Math.floor((sentAt[n]! - sentAt[firstMeasured]!) / 1000);
    (bySecond[second] ??= []).push(latency);
  }
  say({
    phase: 'loaded',
    tasks: total - firstMeasured,
    windowSeconds,
    received: measured.length,
    lost,
    unanswered,
    duplicates: duplicates.count,
    createErrors,
    p50: percentile(measured, 50),
    p90: percentile(measured, 90),
    p99: percentile(measured, 99),
    max: measured[measured.length - 1] ?? NaN,
    createP50: percentile(answered, 50),
    createP99: percentile(answered, 99),
    afterAnswerP50: percentile(afterAnswer, 50),
    afterAnswerP99: percentile(afterAnswer, 99),
    sdkReservations: sdk.length,
    sdkLatencies: sdk,
    frames: Object.fromEntries(frames),
    closed: closed.count,
    resets: unheardResets,
    failures: failures.length,
    firstFailures: failures.filter(Boolean),
    loopDelayP99: delay.percentile(99) / 1e6,
    loopDelayMax: delay.max / 1e6,
    bySecond: Array.from(bySecond, (latencies = []) => {
      latencies.sort((a, b) => a - b);
      return { p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? NaN };
    }),
  });
}

async function main(): Promise<void> {
  let t = performance.now();
  const { workspace, workflow, workers } = process.env.SETUP === 'rest' ? await setUpThroughRest() : await appliedWorkspace();
  say({ phase: 'set-up', workspace, workers: workers.length, seconds: (performance.now() - t) / 1000 });
  await told('connect');
  t = performance.now();
  const { agents, sdk } = await connect(workspace, workers);
  // Frames are released a moment after each bootstrap was answered (bootstrapSettleMs): let the last ones go.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  say({ phase: 'connected', sockets: agents.length + 1, seconds: (performance.now() - t) / 1000, closed: closed.count, resets: unheardResets });
  await told('load');
  // Fresh connections: the server closes keep-alive connections idle for 5 s, and one it closes just as it is reused
  // fails the request sent on it.
  server.agent.destroy();
  server = serverAt(base, credentials, 64);
  await load(workspace, workflow);
  await told('exit');
  sdk.disconnect();
  for (const agent of agents) agent.close();
  server.agent.destroy();
  process.exit(0);
}

await main();
