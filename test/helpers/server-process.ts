import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import twilio from 'twilio';
import { LOOPBACK_NETWORKS } from './callbacks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  /** Where its embedded store keeps its data. */
  dataDir: string;
  /** What it printed so far. */
  output(): string;
  child: ChildProcess;
  client: twilio.Twilio;
  /** Stops it: SIGTERM waits for a clean shutdown, SIGKILL does not. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * Starts `src/main.ts` as its own process, as an operator would (environment only; `cwd` is where it runs, the
 * project's root by default; `preload`, a module of the project loaded first with `--import`, as the tracing preload
 * is), and waits until it listens.
 * `client` is the real twilio client pointed at it. Callbacks may reach loopback receivers unless `env` says otherwise.
 */
export async function startServerProcess(env: Record<string, string | undefined>, options: { cwd?: string; preload?: string } = {}): Promise<ServerProcess> {
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  // A variable given as undefined is left out of the process's environment altogether. Each process keeps its
  // embedded store's data in a directory of its own unless DATA_DIR says otherwise.
  const dataDir = env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'switchboard-data-')));
  const merged = { ...process.env, PORT: '0', NODE_ENV: 'test', CALLBACK_ALLOWED_NETWORKS: LOOPBACK_NETWORKS, ...env, DATA_DIR: dataDir };
  const preload = options.preload ? ['--import', pathToFileURL(join(ROOT, options.preload)).href] : [];
  const child = spawn(process.execPath, ['--import', tsx, ...preload, join(ROOT, 'src', 'main.ts')], {
    cwd: options.cwd ?? ROOT,
    env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk) => (log += String(chunk)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      log += String(chunk);
      const m = /listening on port (\d+)/.exec(log);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${log}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const client = twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, { httpClient: new RewritingRequestClient(new URL(url)) });
  return {
    url,
    dataDir,
    output: () => log,
    child,
    client,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, 'exit');
    },
  };
}

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];

/** Sends twilio-node's TaskRouter requests to one server process. */
export class RewritingRequestClient extends twilio.RequestClient {
  constructor(private readonly target: URL) {
    super();
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const uri = new URL(opts.uri);
    if (uri.hostname.startsWith('taskrouter.')) {
      uri.protocol = this.target.protocol;
      uri.host = this.target.host;
    }
    return super.request<TData>({ ...opts, uri: uri.toString() });
  }
}

/** A credential pair of a deployment's own, as an operator sets TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN. */
export function deploymentCredentials(): { TWILIO_ACCOUNT_SID: string; TWILIO_AUTH_TOKEN: string } {
  return { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };
}

/**
 * The environment of server processes sharing one Redis under a key prefix of their own: fixed credentials so one
 * client works against all of them.
 */
export function sharedRedisEnv(redisUrl: string, prefix: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'),
    TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
  };
}
