/** The push benchmark's processes: their CPU time from /proc, and which core each last ran on. */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const CLOCK_TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] {
  // Fields after the command name, which may hold spaces: field 3 (state) is index 0.
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** User plus system CPU time the process has used (ms). */
export function cpuMs(pid: number): number {
  return userMs(pid) + systemMs(pid);
}

/** CPU time the process has used in the kernel (ms): system calls, and the loopback network's work done for it. */
export function systemMs(pid: number): number {
  return (Number(statFields(pid)[12]) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function userMs(pid: number): number {
  return (Number(statFields(pid)[11]) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The core the process last ran on (field 39). */
export function lastCore(pid: number): number {
  return Number(statFields(pid)[36]);
}

/** Resident set size in bytes, as /proc/<pid>/status says (VmRSS). */
export function rssBytes(pid: number): number {
  const found = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return found ? Number(found[1]) * 1024 : NaN;
}

/** CPU used by `pid` between two readings, as a share of one core. */
export class CpuWindow {
  private readonly cpu: number;
  private readonly system: number;
  private readonly wall = performance.now();

  constructor(private readonly pid: number) {
    this.cpu = cpuMs(pid);
    this.system = systemMs(pid);
  }

  /** Share of one core (0–1 per core), the kernel's part of it, and the window's length in seconds. */
  close(): { share: number; systemShare: number; seconds: number; cpuMs: number } {
    const cpu = cpuMs(this.pid) - this.cpu;
    const system = systemMs(this.pid) - this.system;
    const seconds = (performance.now() - this.wall) / 1000;
    return { share: cpu / 1000 / seconds, systemShare: system / 1000 / seconds, seconds, cpuMs: cpu };
  }
}

/** Busy and total jiffies of the whole machine, all cores (the first line of /proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * How busy the whole machine was between two readings, in cores, and the load average at the end: the processes
 * measured are part of it, and whatever else ran meanwhile (other work on a shared machine) is the rest.
 */
export class MachineWindow {
  private readonly start = machineJiffies();

  close(): { cores: number; load: number } {
    const end = machineJiffies();
    const cores = ((end.busy - this.start.busy) / Math.max(1, end.total - this.start.total)) * cpus().length;
    return { cores, load: loadavg()[0]! };
  }
}

/** CPU time (ms) of each of the process's threads, summed by thread name (`node` is the main thread). */
export function cpuMsByThread(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat
        .slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
        .replace(/\d+$/, '')
        .trim();
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return byName;
}
