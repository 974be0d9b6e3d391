import { TwilioError } from '../core/errors.js';
import type { TaskRecord, WorkerRecord } from '../core/model.js';
import type { RoutingEngine } from '../engine/engine.js';
import { parseAttributes } from '../engine/routing-scope.js';

const ATTEMPTS = 5;

/** A task's or worker's attributes as an object ({} when they are not one). */
export function attributesOf(record: Pick<TaskRecord | WorkerRecord, 'attributes'>): Record<string, unknown> {
  return parseAttributes(record.attributes);
}

/** What to add to a task's attributes, or how to work it out from the task as read (null: leave the task alone). */
export type AttributesPatch = Record<string, unknown> | ((attributes: Record<string, unknown>, task: TaskRecord) => Record<string, unknown> | null);

export interface MergeOptions {
  /** The task as the caller already read it, used for the first attempt (a stale version only conflicts). */
  read?: TaskRecord | null;
  /**
   * Leave a task that moved on alone instead of failing: an update refused (other than a conflict) or conflicting on
   * every attempt returns null rather than throwing.
   */
  bestEffort?: boolean;
}

/**
 * Adds `patch` to a task's attributes without losing a concurrent change: the update is made against the version
 * read (If-Match) and made again on a newer one if someone else got there first. Returns the updated task; null when
 * the task does not exist or `patch` left it alone. Throws a 503 when the task kept changing (see `bestEffort`).
 */
export async function mergeTaskAttributes(
  engine: RoutingEngine,
  ws: string,
  taskSid: string,
  patch: AttributesPatch,
  options: MergeOptions = {},
): Promise<TaskRecord | null> {
  let read = options.read;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const task = read ?? (await engine.store.get(ws, 'task', taskSid));
    read = undefined;
    if (!task) return null;
    const current = attributesOf(task);
    const added = typeof patch === 'function' ? patch(current, task) : patch;
    if (!added) return null;
    try {
      return await engine.updateTask(ws, taskSid, { attributes: JSON.stringify({ ...current, ...added }), ifMatch: String(task.version) });
    } catch (err) {
      if (err instanceof TwilioError && err.status === 412) continue;
      // Any other refusal means the task moved on (ended, deleted).
      if (options.bestEffort && err instanceof TwilioError && err.status < 500) return null;
      throw err;
    }
  }
  if (options.bestEffort) return null;
  throw new TwilioError(20503, 503, `Task ${taskSid} kept changing while its attributes were updated`);
}
