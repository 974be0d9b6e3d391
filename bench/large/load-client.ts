/**
 * The large-workspace benchmark's client, in a process of its own so its cost is not the server's. It creates tasks
 * through the REST API at RATE a second, open loop (each at its due time, whether or not earlier ones were answered),
 * and is the application's loopback receiver of the workflow's AssignmentCallbackUrl: what it measures is the time
 * from just before a task's create request is sent to the moment its reservation's assignment callback arrives. As
 * the agent's side it then accepts the reservation through the API and, HANDLE_MS later, completes the task, so
 * workers come back and the workspace stays in steady state (MODE=lifecycle), or leaves reservations pending
 * (MODE=create-only: create requests alone).
 *
 *   node dist/bench/large/load-client.js <receiver port> <workspace sid> <workflow sid> <user:password> <server url>…
 *
 * Requests go to the servers in turn. Prints `window-open` and `window-closed` lines (the caller reads the servers'
 * CPU then), then one JSON line with the figures.
 */
import { Agent, createServer, request } from 'node:http';
import { performance } from 'node:perf_hooks';

const [receiverPort, workspace, workflow, credentials, ...servers] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const RATE = Number(process.env.RATE ?? 365);
const SECONDS = Number(process.env.SECONDS ?? 30);
const WARM_UP_SECONDS = Number(process.env.WARM_UP_SECONDS ?? 10);
const QUEUES = Number(process.env.QUEUES ?? 50);
const HANDLE_MS = Number(process.env.HANDLE_MS ?? 2000);
const MODE = process.env.MODE ?? 'lifecycle';
/** How long after the window closes a reservation may still arrive and count. */
const DRAIN_MS = 5_000;

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const targets = servers.map((url) => new URL(url));
const authorization = 'Basic ' + Buffer.from(credentials).toString('base64');
let nextTarget = 0;

type Step = 'create' | 'accept' | 'complete';
const requestMs: Record<Step, number[]> = { create: [], accept: [], complete: [] };
const failures: Record<Step, number> = { create: 0, accept: 0, complete: 0 };
let firstFailure: string | null = null;

/** Per task number: when its create was sent, and whether it counts (sent inside the window). */
const sentAt = new Map<number, { at: number; counted: boolean }>();
const reservationMs: number[] = [];
let measuring = false;
let completed = 0;

function call(step: Step, path: string, form: Record<string, string>): Promise<void> {
  const body = new URLSearchParams(form).toString();
  const target = targets[nextTarget++ % targets.length]!;
  const started = performance.now();
  const counted = measuring;
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path,
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (counted) requestMs[step].push(performance.now() - started);
          if ((res.statusCode ?? 0) >= 300) fail(step, `${path}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`);
          resolve();
        });
      },
    );
    req.on('error', (err) => {
      fail(step, `${path}: ${err.message}`);
      resolve();
    });
    req.end(body);
  });
}

function fail(step: Step, why: string): void {
  failures[step] += 1;
  firstFailure ??= why;
}

/** The application's AssignmentCallbackUrl: answers at once (no instruction), then acts as the agent. */
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const arrived = performance.now();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const n = (JSON.parse(form.get('TaskAttributes') ?? '{}') as { n?: number }).n;
    const sent = n === undefined ? undefined : sentAt.get(n);
    if (sent) {
      sentAt.delete(n!);
      if (sent.counted) reservationMs.push(arrived - sent.at);
    }
    if (MODE === 'create-only') return;
    const tasks = `/v1/Workspaces/${workspace}/Tasks`;
    const task = form.get('TaskSid')!;
    void call('accept', `${tasks}/${task}/Reservations/${form.get('ReservationSid')!}`, { ReservationStatus: 'accepted' }).then(() =>
      setTimeout(() => {
        void call('complete', `${tasks}/${task}`, { AssignmentStatus: 'completed', Reason: 'handled' }).then(() => (completed += 1));
      }, HANDLE_MS),
    );
  });
});

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(values: number[]): { n: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

async function main(): Promise<void> {
  await new Promise<void>((resolve) => receiver.listen(Number(receiverPort), '127.0.0.1', resolve));
  const tasks = `/v1/Workspaces/${workspace}/Tasks`;
  const total = RATE * (WARM_UP_SECONDS + SECONDS);
  const warmUpEnds = RATE * WARM_UP_SECONDS;
  const started = performance.now();
  const cpuAtOpen = { value: process.cpuUsage() };
  let openedAt = 0;
  let lateMs = 0;
  let creating = 0;
  for (let n = 0; n < total; n++) {
    if (n === warmUpEnds) {
      measuring = true;
      process.stdout.write('window-open\n');
      openedAt = performance.now();
      cpuAtOpen.value = process.cpuUsage();
    }
    const due = started + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const now = performance.now();
    if (measuring) lateMs = Math.max(lateMs, now - due);
    sentAt.set(n, { at: now, counted: measuring });
    creating += 1;
    void call('create', tasks, { WorkflowSid: workflow, Attributes: JSON.stringify({ skill: n % QUEUES, n }) }).then(() => (creating -= 1));
  }
  const seconds = (performance.now() - openedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtOpen.value);
  measuring = false;
  process.stdout.write('window-closed\n');
  const sentInWindow = RATE * SECONDS;
  const drainEnds = performance.now() + DRAIN_MS;
  while ((creating > 0 || reservationMs.length < sentInWindow) && performance.now() < drainEnds) await new Promise((resolve) => setTimeout(resolve, 50));
  const result = {
    mode: MODE,
    seconds,
    sentInWindow,
    reservation: summary(reservationMs),
    noReservation: sentInWindow - reservationMs.length,
    requests: Object.fromEntries(Object.entries(requestMs).map(([step, values]) => [step, summary(values)])),
    failures,
    firstFailure,
    completedSoFar: completed,
    clientCpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
    latestSendMs: lateMs,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  // Completions still due are left: the server is stopped next.
  agent.destroy();
  receiver.closeAllConnections();
  receiver.close();
  process.exit(0);
}

await main();
