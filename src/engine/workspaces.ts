import { badRequest } from '../core/errors.js';
import type { ActivityRecord, TaskChannelRecord, TaskQueueRecord, WorkflowRecord, WorkspaceRecord } from '../core/model.js';
import { newSid } from '../core/sid.js';
import { callbackUrl, friendlyName, oneOf, requireParam } from '../core/validate.js';
import { Change } from './change.js';
import type { WorkspaceInput } from './commands.js';
import { publish, transact, type EngineContext } from './context.js';
import { makeEvent } from './events.js';
import type { WorkspaceConfig } from './workspace-config.js';

/** Activities every new workspace starts with: [name, available]. */
export const DEFAULT_ACTIVITIES: Array<[string, boolean]> = [
  ['Offline', false],
  ['Available', true],
  ['Unavailable', false],
];

/** TaskRouter's built-in task channels. */
export const BUILT_IN_CHANNELS: Array<[string, string]> = [
  ['default', 'Default'],
  ['voice', 'Voice'],
  ['sms', 'SMS'],
  ['chat', 'Chat'],
  ['video', 'Video'],
];

export async function createWorkspace(ctx: EngineContext, input: WorkspaceInput): Promise<WorkspaceRecord> {
  const name = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
  const template = input.template === undefined ? 'NONE' : oneOf(input.template, 'Template', ['NONE', 'FIFO'] as const);
  const now = ctx.clock.now();
  const sid = (await ctx.store.newWorkspaceSid?.()) ?? newSid('WS');
  const base = { workspaceSid: sid, dateCreated: now, dateUpdated: now, version: 0 };
  const activities: ActivityRecord[] = DEFAULT_ACTIVITIES.map(([n, available]) => ({
    ...base,
    sid: newSid('WA'),
    friendlyName: n,
    available,
  }));
  const offline = activities[0]!;
  const workspace: WorkspaceRecord = {
    sid,
    accountSid: ctx.accountSid,
    friendlyName: name,
    dateCreated: now,
    dateUpdated: now,
    version: 0,
    eventCallbackUrl: input.eventCallbackUrl === undefined ? null : callbackUrl(input.eventCallbackUrl, 'EventCallbackUrl', ctx.callbackUrls),
    eventsFilter: input.eventsFilter ?? null,
    multiTaskEnabled: input.multiTaskEnabled ?? true,
    prioritizeQueueOrder: input.prioritizeQueueOrder ?? 'FIFO',
    defaultActivitySid: offline.sid,
    timeoutActivitySid: offline.sid,
  };
  const channels: TaskChannelRecord[] = BUILT_IN_CHANNELS.map(([unique, n]) => ({
    ...base,
    sid: newSid('TC'),
    uniqueName: unique,
    friendlyName: n,
    channelOptimizedRouting: false,
  }));
  const change = new Change(sid, now);
  change.put('workspace', null, workspace);
  for (const a of activities) {
    change.put('activity', null, a);
    change.claim(activityKey(a.friendlyName), a.sid);
  }
  for (const c of channels) {
    change.put('taskChannel', null, c);
    change.claim(channelKey(c.uniqueName), c.sid);
  }
  if (template === 'FIFO') {
    const queue: TaskQueueRecord = {
      ...base,
      sid: newSid('WQ'),
      friendlyName: 'Sample Queue',
      targetWorkers: '1==1',
      maxReservedWorkers: 1,
      taskOrder: 'FIFO',
      reservationActivitySid: null,
      assignmentActivitySid: null,
    };
    const workflow: WorkflowRecord = {
      ...base,
      sid: newSid('WW'),
      friendlyName: 'Default Fifo Workflow',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
      assignmentCallbackUrl: null,
      fallbackAssignmentCallbackUrl: null,
      taskReservationTimeout: 120,
    };
    change.put('taskQueue', null, queue);
    change.claim(queueKey(queue.friendlyName), queue.sid);
    change.put('workflow', null, workflow);
  }
  await change.commit(ctx.store);
  const config: WorkspaceConfig = {
    workspace,
    activities: new Map(activities.map((a) => [a.sid, a])),
    channels,
    queues: new Map(),
    workflows: new Map(),
  };
  const created = makeEvent('workspace.created', config, now, sid, `Workspace ${name} created`, {});
  await ctx.store.commit(sid, { events: [created] });
  publish(ctx, [created]);
  return (await ctx.store.get(sid, 'workspace', sid))!;
}

export async function updateWorkspace(ctx: EngineContext, sid: string, input: WorkspaceInput): Promise<WorkspaceRecord> {
  return transact(ctx, sid, async (config, change) => {
    const ws = config.workspace;
    const next = { ...ws };
    if (input.friendlyName !== undefined) next.friendlyName = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
    if (input.eventCallbackUrl !== undefined) next.eventCallbackUrl = callbackUrl(input.eventCallbackUrl, 'EventCallbackUrl', ctx.callbackUrls);
    if (input.eventsFilter !== undefined) next.eventsFilter = input.eventsFilter === '' ? null : input.eventsFilter;
    if (input.prioritizeQueueOrder !== undefined) next.prioritizeQueueOrder = input.prioritizeQueueOrder;
    if (input.defaultActivitySid !== undefined) next.defaultActivitySid = existingActivity(config, input.defaultActivitySid, 'DefaultActivitySid');
    if (input.timeoutActivitySid !== undefined) next.timeoutActivitySid = existingActivity(config, input.timeoutActivitySid, 'TimeoutActivitySid');
    if (input.multiTaskEnabled !== undefined && input.multiTaskEnabled !== ws.multiTaskEnabled) {
      if (!input.multiTaskEnabled) await requireNoActiveTasks(ctx, sid);
      next.multiTaskEnabled = input.multiTaskEnabled;
    }
    const written = change.put('workspace', ws, next);
    change.emit(makeEvent('workspace.updated', { ...config, workspace: written }, change.now, sid, `Workspace ${written.friendlyName} updated`, {}));
    return written;
  });
}

export async function deleteWorkspace(ctx: EngineContext, sid: string): Promise<void> {
  await transact(ctx, sid, async (config, change) => {
    change.emit(makeEvent('workspace.deleted', config, change.now, sid, `Workspace ${config.workspace.friendlyName} deleted`, {}));
    change.delete('workspace', config.workspace);
  });
}

function existingActivity(config: WorkspaceConfig, sid: string, name: string): string {
  if (!config.activities.has(sid)) throw badRequest(`${name} ${sid} is not an Activity of this workspace`);
  return sid;
}

/** Going single-tasking is only allowed while no worker holds a task (TaskRouter permits it only in narrow cases). */
async function requireNoActiveTasks(ctx: EngineContext, workspaceSid: string): Promise<void> {
  const tasks = await ctx.store.list(workspaceSid, 'task');
  if (tasks.some((t) => t.assignmentStatus === 'reserved' || t.assignmentStatus === 'assigned' || t.assignmentStatus === 'wrapping')) {
    throw badRequest('MultiTaskEnabled cannot be turned off while tasks are reserved, assigned or wrapping');
  }
}

export function activityKey(name: string): string {
  return `activity:${name.toLowerCase()}`;
}
export function channelKey(uniqueName: string): string {
  return `channel:${uniqueName}`;
}
export function queueKey(name: string): string {
  return `queue:${name.toLowerCase()}`;
}
export function workerKey(name: string): string {
  return `worker:${name.toLowerCase()}`;
}
