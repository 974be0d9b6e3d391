/**
 * BullMQ's side of bench/engine-vs-bullmq.ts: a Queue and a Worker (concurrency as given) on their own connections,
 * jobs with a priority, an empty processor; a job is added whenever one completes, so the same number stay in flight.
 * Jobs are kept once completed, as BullMQ does by default (and as the engine keeps a completed task's record).
 */
import { Queue, Worker } from 'bullmq';
import type { Side } from './side.js';

export async function bullmqSide(url: string, prefix: string): Promise<Side> {
  const connection = { url, maxRetriesPerRequest: null } as const;
  const name = 'bench';
  const queue = new Queue(name, { connection, prefix });
  let onCompleted: (() => void) | undefined;
  let worker: Worker | undefined;
  let concurrencySet = 0;
  let n = 0;
  const add = () => queue.add('job', { n }, { priority: 1 + (n++ % 10) });
  return {
    async run(ms, concurrency) {
      if (!worker || concurrencySet !== concurrency) {
        await worker?.close();
        worker = new Worker(name, async () => undefined, { connection, prefix, concurrency });
        worker.on('completed', () => onCompleted?.());
        await worker.waitUntilReady();
        concurrencySet = concurrency;
      }
      const end = performance.now() + ms;
      let done = 0;
      let inFlight = 0;
      await new Promise<void>((resolve, reject) => {
        onCompleted = () => {
          done += 1;
          inFlight -= 1;
          if (performance.now() < end) {
            inFlight += 1;
            add().catch(reject);
          } else if (inFlight === 0) resolve();
        };
        for (let i = 0; i < concurrency; i++) {
          inFlight += 1;
          add().catch(reject);
        }
      });
      onCompleted = undefined;
      return done;
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
