import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

// The benchmarks start their own Redis servers with this too (bench/cluster.ts, bench/large-workspace.ts): it stays
// free of vitest and of anything else only tests have.

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface OwnRedis {
  url: string;
  port: number;
  /** Stops the server: 'crash' kills it, 'shutdown' lets it persist first (SIGTERM). */
  stop(how?: 'crash' | 'shutdown'): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
}

/**
 * A redis-server of the test's own, so it can be stopped and started while servers use it. With `dir`, it keeps an
 * append-only file there, fsynced on every write, so a restart finds everything that was acknowledged. `args` are
 * further redis-server options.
 */
export async function startOwnRedis(options: { dir?: string; args?: string[] } = {}): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...(options.args ?? [])];
  if (options.dir) args.push('--dir', options.dir, '--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');

  async function start(): Promise<void> {
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    for await (const chunk of child.stdout!) {
      output += String(chunk);
      if (output.includes('Ready to accept connections')) break;
    }
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop(how = 'crash') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(how === 'crash' ? 'SIGKILL' : 'SIGTERM');
      await once(child, 'exit');
    },
    restart: start,
  };
}
