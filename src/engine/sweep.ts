import type { EngineContext } from './context.js';
import { idleIndex, parsePendingMember, pendingIndex, queueGroup, statusKey } from './derived/schema.js';
import { routeTask } from './placement.js';
import { forgetOldPace } from './queue-position.js';

/**
 * The safety net behind event-driven matching. Matching runs right after the commit that makes it possible (a task
 * waits, a worker frees up), and because each side commits before it looks for the other, two concurrent changes
 * cannot both miss each other. What can be lost is the follow-up of a process that died between its commit and its
 * matching; the sweep finds queues that have both a waiting task and an idle worker and matches them again.
 *
 * Its cost depends on the number of queues, never on workers or tasks: per queue one counter read says which
 * channels have waiting tasks, and only those are looked at further. A background run visits a page of workspaces
 * (`cursor` remembers where the last one stopped), so many workspaces are swept in turn rather than all at once.
 */
export interface SweepCursor {
  next: number;
}

export async function sweep(ctx: EngineContext, page?: { cursor: SweepCursor; size: number }): Promise<number> {
  let routed = 0;
  let workspaces = await ctx.store.list('', 'workspace');
  if (page) {
    const start = page.cursor.next % Math.max(1, workspaces.length);
    workspaces = [...workspaces, ...workspaces].slice(start, start + Math.min(page.size, workspaces.length));
    page.cursor.next = start + workspaces.length;
  }
  for (const workspace of workspaces) {
    const config = await ctx.configs.get(ctx.store, workspace.sid).catch(() => null);
    if (!config) continue;
    const now = ctx.clock.now();
    for (const queue of config.queues.values()) {
      await forgetOldPace(ctx, workspace.sid, queue.sid, now);
      const counters = await ctx.store.readCounters(workspace.sid, queueGroup(queue.sid));
      for (const channel of config.channels) {
        if (!counters[statusKey('pending', channel.sid)]) continue;
        if ((await ctx.store.countIndex(workspace.sid, idleIndex(queue.sid, channel.sid))) === 0) continue;
        const [head] = await ctx.store.rangeIndex(workspace.sid, pendingIndex(queue.sid, channel.sid), 1);
        if (!head) continue;
        await routeTask(ctx, workspace.sid, parsePendingMember(head).taskSid);
        routed += 1;
      }
    }
  }
  return routed;
}
