/**
 * The REST benchmark's client, run in a process of its own so its cost is not the server's: CONCURRENCY callers, each
 * running a task's lifecycle through the API again and again for SECONDS — create the task, find its pending
 * reservation, accept it, complete the task: four requests — over node:http with keep-alive. Prints one JSON line:
 * lifecycles, requests, the window, and latency percentiles per request.
 *
 *   node dist/bench/rest/load-client.js <base url> <workspace sid> <workflow sid> <user:password>
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

const [base, workspace, workflow, credentials] = process.argv.slice(2) as [string, string, string, string];
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WARM_UP_SECONDS = Number(process.env.WARM_UP_SECONDS ?? 3);

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const target = new URL(base);
const authorization = 'Basic ' + Buffer.from(credentials).toString('base64');

type Step = 'create' | 'find' | 'accept' | 'complete';
const latencies: Record<Step, number[]> = { create: [], find: [], accept: [], complete: [] };
let measuring = false;

function call(step: Step, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: {
          authorization,
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (measuring) latencies[step].push(performance.now() - started);
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One task's lifecycle: the four requests an application makes. */
async function lifecycle(): Promise<void> {
  const tasks = `/v1/Workspaces/${workspace}/Tasks`;
  const task = await call('create', 'POST', tasks, { WorkflowSid: workflow, Attributes: '{"bench":true}' });
  let reservation: { sid: string } | undefined;
  while (!reservation) {
    const page = await call('find', 'GET', `${tasks}/${String(task.sid)}/Reservations?ReservationStatus=pending`);
    reservation = (page.reservations as Array<{ sid: string }>)[0];
  }
  await call('accept', 'POST', `${tasks}/${String(task.sid)}/Reservations/${reservation.sid}`, { ReservationStatus: 'accepted' });
  await call('complete', 'POST', `${tasks}/${String(task.sid)}`, { AssignmentStatus: 'completed', Reason: 'bench' });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  let lifecycles = 0;
  let stop = false;
  const caller = async () => {
    while (!stop) {
      await lifecycle();
      if (measuring) lifecycles += 1;
    }
  };
  const callers = Array.from({ length: CONCURRENCY }, caller);
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_SECONDS * 1000));
  measuring = true;
  // The server's process reads its CPU time when told the window opens and closes (stdin lines).
  process.stdout.write('window-open\n');
  const opened = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  measuring = false;
  const seconds = (performance.now() - opened) / 1000;
  process.stdout.write('window-closed\n');
  stop = true;
  await Promise.all(callers);
  const all = Object.values(latencies)
    .flat()
    .sort((a, b) => a - b);
  const steps = Object.fromEntries(
    Object.entries(latencies).map(([step, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return [step, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
    }),
  );
  const result = { lifecycles, requests: all.length, seconds, p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), steps };
  process.stdout.write(JSON.stringify(result) + '\n');
  agent.destroy();
}

await main();
