import type { PhoneNumberRecord } from '../../core/model.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { workersRealTime, workflowRealTime } from '../../engine/statistics.js';
import { findChannel } from '../../engine/workspace-config.js';

/** Why a caller is not put in line: the number's queue is full, or no one is available to answer. */
export type FallbackReason = 'queue_full' | 'no_workers';

/**
 * Whether a new call to `number` should get the fallback instead of a place in line. Both figures come from the
 * counters every routing commit keeps (the statistics' read side), a few reads whatever the number of tasks and
 * workers: the workflow's waiting (pending and reserved) tasks on the number's channel against `max_queue_size`,
 * and the workspace's workers in an available activity when the number has a no-workers fallback.
 */
export async function fallbackReason(engine: RoutingEngine, number: PhoneNumberRecord): Promise<FallbackReason | null> {
  const config = await engine.workspaceConfig(number.workspaceSid);
  if (number.maxQueueSize !== null) {
    const channel = findChannel(config, number.taskChannel);
    const tasks = await workflowRealTime(engine.store, config, number.workflowSid, engine.clock.now(), channel?.sid);
    const waiting = tasks.tasksByStatus.pending + tasks.tasksByStatus.reserved;
    if (waiting >= number.maxQueueSize) return 'queue_full';
  }
  if (number.whenNoWorkers !== 'queue') {
    const workers = await workersRealTime(engine.store, config);
    const available = workers.activityStatistics.filter((a) => config.activities.get(a.sid)?.available).reduce((sum, a) => sum + a.workers, 0);
    if (available === 0) return 'no_workers';
  }
  return null;
}
