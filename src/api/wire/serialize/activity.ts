import type { ActivityRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** An Activity as TaskRouter returns it. */
export function serializeActivity(a: ActivityRecord, ctx: WireContext): Record<string, unknown> {
  return {
    account_sid: ctx.config.workspace.accountSid,
    available: a.available,
    date_created: formatDate(a.dateCreated),
    date_updated: formatDate(a.dateUpdated),
    friendly_name: a.friendlyName,
    sid: a.sid,
    workspace_sid: a.workspaceSid,
    url: workspaceUrl(ctx, a.workspaceSid, `/Activities/${a.sid}`),
    links: { workspace: workspaceUrl(ctx, a.workspaceSid) },
  };
}
