import { TwilioError } from '../core/errors.js';
import type { TaskRecord } from '../core/model.js';
import type { RoutingEngine } from '../engine/engine.js';
import { attributesOf } from '../telephony/agent-address.js';

const ATTEMPTS = 5;

/**
 * Adds `patch` to a task's attributes without losing a concurrent change: the update is made against the version
 * read (If-Match) and made again on a newer one if someone else got there first.
 */
export async function mergeTaskAttributes(engine: RoutingEngine, ws: string, taskSid: string, patch: Record<string, unknown>): Promise<TaskRecord | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const task = await engine.store.get(ws, 'task', taskSid);
    if (!task) return null;
    const attributes = JSON.stringify({ ...attributesOf(task), ...patch });
    try {
      return await engine.updateTask(ws, taskSid, { attributes, ifMatch: String(task.version) });
    } catch (err) {
      if (!(err instanceof TwilioError && err.status === 412)) throw err;
    }
  }
  throw new TwilioError(20503, 503, `Task ${taskSid} kept changing while its attributes were updated`);
}
