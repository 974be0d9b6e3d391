import type { WorkerRecord } from '../../core/model.js';
import { canTakeTask, idleSince } from '../worker-state.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import { DerivedEntries } from './entries.js';
import {
  idleIndex,
  MEMBERS_AVAILABLE_KEY,
  membersInActivityKey,
  membersIndex,
  queueGroup,
  timeMember,
  WORKERS_GROUP,
  WORKERS_TOTAL_KEY,
  workersInActivityKey,
} from './schema.js';

/**
 * What a worker contributes to the derived state: membership of the queues it matches, an idle member in each of
 * them on every channel it could take a task on now, and what statistics read of it — its activity counted among all
 * workers and among each of its queues' eligible workers.
 */
export function workerEntries(worker: WorkerRecord, config: WorkspaceConfig): DerivedEntries {
  const entries = new DerivedEntries();
  const queues = worker.queueSids.filter((q) => config.queues.has(q));
  entries.count(WORKERS_GROUP, workersInActivityKey(worker.activitySid));
  entries.count(WORKERS_GROUP, WORKERS_TOTAL_KEY);
  const available = config.activities.get(worker.activitySid)?.available === true;
  for (const q of queues) {
    entries.count(queueGroup(q), membersInActivityKey(worker.activitySid));
    if (available) entries.count(queueGroup(q), MEMBERS_AVAILABLE_KEY);
    entries.member(membersIndex(q), worker.sid);
  }
  for (const ch of config.channels) {
    if (!canTakeTask(worker, ch.sid, config)) continue;
    const member = timeMember(idleSince(worker, ch.sid), worker.sid);
    for (const q of queues) entries.member(idleIndex(q, ch.sid), member);
  }
  return entries;
}
