/** One side of bench/engine-vs-bullmq.ts: a unit of work run by concurrent callers for a while. */
export interface Side {
  /** Runs units with `concurrency` kept in flight until `ms` have passed; resolves with how many completed. */
  run(ms: number, concurrency: number): Promise<number>;
  close(): Promise<void>;
}

/** What a measured window of a side gives, per unit of work (µs) or per second. */
export interface SideResult {
  rate: number;
  done: number;
  processCpuUsec: number;
  /** The process's CPU over the window, in cores. */
  processCpuShare: number;
  redisCpuUsec: number;
  /** Redis's CPU over the window, in cores. */
  redisCpuShare: number;
  commands: number;
  scriptUsec: number;
  /** Bytes Redis received. */
  bytesIn: number;
}
