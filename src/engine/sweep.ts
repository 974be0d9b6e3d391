import type { EngineContext } from './context.js';
import { idleIndex, parsePendingMember, pendingIndex } from './index-keys.js';
import { routeTask } from './placement.js';
import { forgetOldPace } from './queue-position.js';

/**
 * The safety net behind event-driven matching. Matching runs right after the commit that makes it possible (a task
 * waits, a worker frees up), and because each side commits before it looks for the other, two concurrent changes
 * cannot both miss each other. What can be lost is the follow-up of a process that died between its commit and its
 * matching; the sweep finds queues that have both a waiting task and an idle worker and matches them again. Its cost
 * depends on the number of queues and channels, never on workers or tasks.
 */
export async function sweep(ctx: EngineContext): Promise<number> {
  let routed = 0;
  for (const workspace of await ctx.store.list('', 'workspace')) {
    const config = await ctx.configs.get(ctx.store, workspace.sid).catch(() => null);
    if (!config) continue;
    for (const queue of config.queues.values()) {
      await forgetOldPace(ctx, workspace.sid, queue.sid, ctx.clock.now());
      for (const channel of config.channels) {
        const [head] = await ctx.store.rangeIndex(workspace.sid, pendingIndex(queue.sid, channel.sid), 1);
        if (!head) continue;
        if ((await ctx.store.countIndex(workspace.sid, idleIndex(queue.sid, channel.sid))) === 0) continue;
        await routeTask(ctx, workspace.sid, parsePendingMember(head).taskSid);
        routed += 1;
      }
    }
  }
  return routed;
}
