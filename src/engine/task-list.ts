import type { TaskRecord } from '../core/model.js';
import type { RoutingStore } from '../store/routing-store.js';
import { ageIndex, taskScopeGroup } from './derived/schema.js';
import { isLiveStatus } from './task-state.js';

/** Tasks read per window: large enough to be few reads, small enough never to hold the store for long. */
const WINDOW = 500;

export interface TaskListScope {
  /** Only tasks in these assignment statuses are wanted (none: any). */
  statuses?: readonly string[];
  taskQueueSid?: string;
  workflowSid?: string;
}

/**
 * The tasks a listing has to look at (the API's task list, a workflow's waiting tasks to re-route, a queue's to
 * re-order). When only live statuses are wanted (pending, reserved), those are the live tasks of the narrowest scope
 * named, read from the age index statistics keep of them (derived/task-indexer.ts): a wallboard listing what waits
 * reads what waits, not every task the workspace still holds. Otherwise every task. This only narrows where the
 * listing looks; the caller still applies each of its filters.
 */
export async function tasksToList(store: RoutingStore, ws: string, scope: TaskListScope): Promise<TaskRecord[]> {
  const { statuses } = scope;
  if (!statuses || statuses.length === 0 || !statuses.every(isLiveStatus)) return store.list(ws, 'task');
  const index = ageIndex(taskScopeGroup(scope));
  const tasks: TaskRecord[] = [];
  for (let after: string | undefined; ;) {
    const window = await store.rangeIndexRecords(ws, index, 'task', WINDOW, after);
    // A record gone since its member was read is a task deleted meanwhile: it is no longer listed.
    for (const { record } of window) if (record) tasks.push(record);
    if (window.length < WINDOW) return tasks;
    after = window[window.length - 1]!.member;
  }
}
