/**
 * Push benchmark: the worker event bridge of ONE Switchboard process with WORKERS agents' sockets connected, as the
 * `twilio-taskrouter` Worker SDK connects them, and tasks arriving through the REST API at RATE/s. A Switchboard
 * server process, started from dist as `npm start` starts it (journaled embedded store; with REDIS_URL, the Redis
 * store after it), and a client process (push/agents.ts) holding every socket and creating the tasks.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench/push-path.js
 *   REDIS_URL=redis://127.0.0.1:6379 node dist/bench/push-path.js
 *
 * Prints, per store:
 *   - memory: the server's RSS and V8 heap after a full GC, before and after the sockets connect (read through the
 *     inspector, push/inspector.ts) → KB per socket;
 *   - idle: IDLE_SECONDS with every socket connected and no task: the server's CPU as a share of one core
 *     (heartbeats and pings included), and the client's;
 *   - load: task create → `reservation.created` frame received by its agent's socket, p50/p90/p99/max over the
 *     SECONDS window after WARM_UP_SECONDS, frames lost (tasks of the window with no frame DRAIN_SECONDS after it),
 *     the real SDK Worker's reservations, and both processes' CPU in the window.
 *
 * Each process is pinned to a core of its own with taskset when the machine has two or more (PIN=0 to leave them to
 * the scheduler): the server on CPU 0, the client on CPU 1. Each may hold ten thousand sockets and a few more, so
 * both are started under `ulimit -n` raised to the hard limit (at least WORKERS + 1,000 is needed).
 *
 * Options (env): SETUP (config: the workspace applied from a configuration file at start | rest), WORKERS (10000), RATE (500), SECONDS (10), WARM_UP_SECONDS (3), DRAIN_SECONDS (2), IDLE_SECONDS
 * (30), AGENTS (accept-complete | hold), HANDLE_SECONDS (10), BOOTSTRAP (last | full), LOG_LEVEL (the server's;
 * info), SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=prof`), SERVER_OUT (a file the server's stdout is copied
 * to), PIN (1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inspectorUrlIn, memoryAfterGc, type Memory } from './push/inspector.js';
import { describeJournalWindow, JournalWindow, type JournalWindowResult } from './push/journal-window.js';
import { CpuWindow, cpuMsByThread, lastCore, MachineWindow } from './push/processes.js';
import { writeWorkspaceFile } from './push/workspace-file.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const WORKERS = Number(process.env.WORKERS ?? 10_000);
/**
 * A whole ping cycle: the worker bridge beats every 15 s and pings every other beat, and its sockets' slices are not
 * evenly filled, so a shorter window sees more or less of the pings by where it falls (docs/performance-push.md,
 * "Idle sockets").
 */
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 30);
const ACCOUNT = 'AC' + randomBytes(16).toString('hex');
const TOKEN = randomBytes(16).toString('hex');
const API_KEY = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };
const PIN = process.env.PIN !== '0' && cpus().length >= 2;

/** `node args…` under a raised open-files limit, pinned to `core` when pinning. */
function spawnNode(args: string[], core: number, env: NodeJS.ProcessEnv, stdio: Array<'ignore' | 'pipe' | 'inherit'>): ChildProcess {
  const command = [...(PIN ? ['taskset', '-c', String(core)] : []), process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawn('/bin/sh', ['-c', `ulimit -n "$(ulimit -Hn)" && exec ${command}`], { cwd: ROOT, env, stdio: stdio as never });
}

interface StartedServer {
  child: ChildProcess;
  port: number;
  inspector: string;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<StartedServer> {
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawnNode([...nodeArgs, '--inspect=127.0.0.1:0', '--enable-source-maps', 'dist/src/main.js'], 0, env, ['ignore', 'pipe', 'pipe']);
  let inspector: string | null = null;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const url = inspectorUrlIn(line);
    if (url) inspector = url;
    else if (
      !line.startsWith('For help, see') &&
      !line.startsWith('Debugger attached') &&
      !line.startsWith('Debugger ending') &&
      !line.includes('Waiting for the debugger')
    )
      process.stderr.write(line + '\n');
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    lines.on('line', (line) => {
      const found = /listening on port (\d+)/.exec(line);
      if (found) resolve(Number(found[1]));
    });
  });
  // Its log lines are read as a log shipper would take them; warnings and errors are shown (a few). SERVER_OUT keeps
  // them all in a file (with SERVER_NODE_ARGS=--trace-gc, V8's collections too).
  const kept = process.env.SERVER_OUT ? createWriteStream(process.env.SERVER_OUT) : null;
  let shown = 0;
  lines.on('line', (line) => {
    kept?.write(line + '\n');
    if (shown < 10 && /"level":(4|5|6)\d/.test(line)) {
      shown += 1;
      process.stderr.write(`  server: ${line.slice(0, 600)}\n`);
    }
  });
  if (!inspector) throw new Error('the server printed no inspector URL');
  return { child, port, inspector };
}

/** The client process, and its lines as they come. */
function startClient(base: string): { child: ChildProcess; next: () => Promise<string>; tell: (command: string) => void } {
  const child = spawnNode([join(HERE, 'push', 'agents.js'), base, `${ACCOUNT}:${TOKEN}`, `${API_KEY.sid}:${API_KEY.secret}`], 1, process.env, [
    'pipe',
    'pipe',
    'inherit',
  ]);
  const lines: Interface = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  return {
    child,
    next: async () => {
      const line = await iterator.next();
      if (line.done) throw new Error('the client ended early');
      return line.value;
    },
    tell: (command) => child.stdin!.write(command + '\n'),
  };
}

/** A figure in ms; JSON carries NaN (nothing measured) as null. */
const ms = (value: number | null): string => (value === null || Number.isNaN(value) ? 'n/a' : `${value.toFixed(2)} ms`);
const kb = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (share: number): string => `${(share * 100).toFixed(2)} %`;
const machine = (m: { cores: number; load: number }): string =>
  `the whole machine ${m.cores.toFixed(2)} of ${cpus().length} cores busy, load average ${m.load.toFixed(1)}`;

async function measure(store: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-push-bench-'));
  const configFile = join(dataDir, 'push-bench.yaml');
  if (process.env.SETUP !== 'rest') writeWorkspaceFile(configFile, WORKERS);
  const started = performance.now();
  const server = await startServer({
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_API_KEY_SID: API_KEY.sid,
    TWILIO_API_KEY_SECRET: API_KEY.secret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    LOG_FORMAT: 'json',
    ...(process.env.SETUP === 'rest' ? {} : { SWITCHBOARD_CONFIG: configFile }),
    ...env,
  });
  const startSeconds = (performance.now() - started) / 1000;
  const pid = server.child.pid!;
  const client = startClient(`http://127.0.0.1:${server.port}`);
  try {
    const setUp = JSON.parse(await client.next()) as { workers: number; seconds: number };
    const how =
      process.env.SETUP === 'rest'
        ? `through the REST API in ${setUp.seconds.toFixed(1)} s`
        : `from the configuration file, server started in ${startSeconds.toFixed(1)} s`;
    console.log(`${store}: ${setUp.workers.toLocaleString('en-US')} workers set up ${how}`);
    // With --cpu-prof the inspector may refuse another session: memory is then not read (NaN).
    const unread: Memory = { rss: NaN, heapUsed: NaN, external: NaN, arrayBuffers: NaN };
    const readMemory = (): Promise<Memory> => memoryAfterGc(server.inspector).catch(() => unread);
    const before: Memory = await readMemory();
    client.tell('connect');
    const connected = JSON.parse(await client.next()) as { sockets: number; seconds: number; closed: number; resets: number };
    const after: Memory = await readMemory();
    const per = (field: keyof Memory): number => (after[field] - before[field]) / connected.sockets;
    console.log(
      `  ${connected.sockets.toLocaleString('en-US')} sockets connected and bootstrapped in ${connected.seconds.toFixed(1)} s (${connected.closed} closed, ${connected.resets} connection resets nobody heard)`,
    );
    console.log(
      `  server memory after GC, before → after: RSS ${mb(before.rss)} → ${mb(after.rss)}, V8 heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}, external ${mb(before.external)} → ${mb(after.external)}`,
    );
    console.log(`  per socket: RSS ${kb(per('rss'))}, V8 heap ${kb(per('heapUsed'))}, external ${kb(per('external'))}`);

    // Idle: the inspector session is closed; the sockets only hear heartbeats.
    const idleServer = new CpuWindow(pid);
    const idleClient = new CpuWindow(client.child.pid!);
    const idleMachine = new MachineWindow();
    const idleThreads = cpuMsByThread(pid);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idleS = idleServer.close();
    const idleC = idleClient.close();
    const idleM = idleMachine.close();
    const threadsAfter = cpuMsByThread(pid);
    const byThread = [...threadsAfter]
      .map(([name, used]) => [name, (used - (idleThreads.get(name) ?? 0)) / 1000 / idleS.seconds] as const)
      .filter(([, share]) => share > 0)
      .map(([name, share]) => `${name} ${pct(share)}`)
      .join(', ');
    console.log(
      `  idle ${idleS.seconds.toFixed(1)} s: server CPU ${pct(idleS.share)} of a core (${pct(idleS.systemShare)} in the kernel); client ${pct(idleC.share)}; ${machine(idleM)}`,
    );
    console.log(`    server CPU by thread: ${byThread || 'none measurable'}`);

    client.tell('load');
    let serverWindow: CpuWindow | null = null;
    let clientWindow: CpuWindow | null = null;
    let machineWindow: MachineWindow | null = null;
    let journalWindow: JournalWindow | null = null;
    let loadJournal: JournalWindowResult | null = null;
    let windowOpenedAt = NaN;
    let loadMachine = { cores: NaN, load: NaN };
    let loadServer = { share: NaN, systemShare: NaN, seconds: NaN, cpuMs: NaN };
    let loadClient = { share: NaN, systemShare: NaN, seconds: NaN, cpuMs: NaN };
    let result: Record<string, unknown> | null = null;
    while (!result) {
      const line = await client.next();
      if (line === 'window-open') {
        serverWindow = new CpuWindow(pid);
        clientWindow = new CpuWindow(client.child.pid!);
        machineWindow = new MachineWindow();
        journalWindow = new JournalWindow(dataDir);
        windowOpenedAt = performance.now() - started;
      } else if (line === 'window-closed') {
        loadServer = serverWindow!.close();
        loadClient = clientWindow!.close();
        loadMachine = machineWindow!.close();
        loadJournal = journalWindow!.close();
      } else result = JSON.parse(line) as Record<string, unknown>;
    }
    const r = result as {
      tasks: number;
      windowSeconds: number;
      received: number;
      lost: number;
      unanswered: number;
      duplicates: number;
      createErrors: number;
      p50: number;
      p90: number;
      p99: number;
      max: number;
      createP50: number;
      createP99: number;
      afterAnswerP50: number;
      afterAnswerP99: number;
      sdkReservations: number;
      sdkLatencies: number[];
      frames: Record<string, number>;
      closed: number;
      failures: number;
      firstFailures: string[];
      loopDelayP99: number;
      loopDelayMax: number;
      bySecond: Array<{ p99: number | null; max: number | null }>;
    };
    const rate = r.tasks / r.windowSeconds;
    console.log(
      `  load: ${r.tasks.toLocaleString('en-US')} tasks in ${r.windowSeconds.toFixed(1)} s (${rate.toFixed(0)}/s); create → reservation.created at the agent's socket: ` +
        `p50 ${ms(r.p50)}, p90 ${ms(r.p90)}, p99 ${ms(r.p99)}, max ${ms(r.max)}`,
    );
    const whole = (value: number | null): string => (value === null || Number.isNaN(value) ? '—' : value.toFixed(0));
    console.log(`    by second of the window, p99/max ms: ${r.bySecond.map((s) => `${whole(s.p99)}/${whole(s.max)}`).join(' ')}`);
    console.log(
      `  the create request's own answer: p50 ${ms(r.createP50)}, p99 ${ms(r.createP99)}; the frame after that answer (the push path's own share, < 0: before it): p50 ${ms(r.afterAnswerP50)}, p99 ${ms(r.afterAnswerP99)}`,
    );
    console.log(
      `  frames lost ${r.lost} (of tasks whose create was answered; ${r.unanswered} creates still unanswered after the drain), duplicated ${r.duplicates}; create errors ${r.createErrors}; agents' request failures ${r.failures}; sockets closed ${r.closed}`,
    );
    if (r.firstFailures.length > 0) console.log(`    first failures: ${r.firstFailures.join(' | ')}`);
    console.log(
      `  the real twilio-taskrouter Worker: ${r.sdkReservations} reservation(s) through the same path, create → its reservationCreated event ${r.sdkLatencies.map((l) => `${l.toFixed(2)} ms`).join(', ')}`,
    );
    console.log(
      `  load CPU: server ${pct(loadServer.share)} of a core, client ${pct(loadClient.share)} (client event-loop delay p99 ${r.loopDelayP99.toFixed(1)} ms, max ${r.loopDelayMax.toFixed(1)} ms); ${machine(loadMachine)}`,
    );
    console.log(`  ${loadJournal ? describeJournalWindow(loadJournal) : 'journal in the window: not read'}`);
    // For lining the window up with the server's own clock (`--trace-gc` counts from its start, a moment later).
    console.log(`  the window opened ${(windowOpenedAt / 1000).toFixed(1)} s after the server was started`);
    console.log(
      `  frames received during the run: ${Object.entries(r.frames)
        .map(([type, n]) => `${type} ${n}`)
        .join(', ')}`,
    );
    console.log(`  ran on: server CPU ${PIN ? '0 (pinned)' : lastCore(pid)}, client CPU ${PIN ? '1 (pinned)' : lastCore(client.child.pid!)}`);
    client.tell('exit');
    await new Promise((resolve) => client.child.once('exit', resolve));
  } finally {
    client.child.kill('SIGKILL');
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `${WORKERS.toLocaleString('en-US')} agents, ${process.env.RATE ?? 500} tasks/s, agents ${process.env.AGENTS ?? 'accept-complete'}, bootstrap ${process.env.BOOTSTRAP ?? 'last'}, ${cpus().length} cores`,
);
await measure('embedded store (journaled)', {});
if (process.env.REDIS_URL) await measure('Redis store', { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `sbpush:${process.pid}:` });
