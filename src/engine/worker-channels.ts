import type { WorkerChannelState, WorkerRecord } from '../core/model.js';
import { derivedSid } from '../core/sid.js';

// A worker's capacity on each task channel: plain arithmetic over its record, shared by routing and the wire.

/** A worker's state on a channel, with TaskRouter's defaults (capacity 1, available) for channels never touched. */
export function channelState(worker: WorkerRecord, channelSid: string): WorkerChannelState {
  return (
    worker.channels[channelSid] ?? {
      capacity: 1,
      available: true,
      taskCount: 0,
      lastReservedAt: null,
      dateCreated: worker.dateCreated,
      dateUpdated: worker.dateCreated,
    }
  );
}

/** A worker's channel SID: derived from the worker and task channel, so it is stable without being stored. */
export function workerChannelSid(workerSid: string, taskChannelSid: string): string {
  return derivedSid('WC', workerSid, taskChannelSid);
}

/** Share of the channel's capacity still free, 0–100 (0 when the capacity is 0). */
export function availableCapacityPercentage(st: WorkerChannelState): number {
  if (st.capacity <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round(((st.capacity - st.taskCount) / st.capacity) * 100)));
}

export function totalTaskCount(worker: WorkerRecord): number {
  return Object.values(worker.channels).reduce((sum, st) => sum + st.taskCount, 0);
}
