/** A server process for a benchmark (Switchboard, or a ceiling to compare it with), and the CPU time a process has used (from /proc). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const CLOCK_TICKS_PER_SECOND = 100;

/** Starts `node <args>` in `cwd` and resolves once it says which port it listens on; its log lines are dropped. */
export async function startServer(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    lines.on('line', (line) => {
      const found = /listening on port (\d+)/.exec(line);
      if (found) resolve(Number(found[1]));
    });
  });
  // Read and dropped, as a log shipper would take them; or, from here on, kept in SERVER_LOG_FILE to look into a run.
  if (process.env.SERVER_LOG_FILE) child.stdout.pipe(createWriteStream(process.env.SERVER_LOG_FILE, { flags: 'a' }));
  else child.stdout.resume();
  return { child, port };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** User plus system CPU time the process has used (ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}
