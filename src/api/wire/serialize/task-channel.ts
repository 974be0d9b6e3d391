import type { TaskChannelRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** A TaskChannel as TaskRouter returns it. */
export function serializeTaskChannel(c: TaskChannelRecord, ctx: WireContext): Record<string, unknown> {
  return {
    account_sid: ctx.config.workspace.accountSid,
    date_created: formatDate(c.dateCreated),
    date_updated: formatDate(c.dateUpdated),
    friendly_name: c.friendlyName,
    sid: c.sid,
    unique_name: c.uniqueName,
    workspace_sid: c.workspaceSid,
    channel_optimized_routing: c.channelOptimizedRouting,
    url: workspaceUrl(ctx, c.workspaceSid, `/TaskChannels/${c.sid}`),
    links: { workspace: workspaceUrl(ctx, c.workspaceSid) },
  };
}
