import { badRequest, notFound } from '../core/errors.js';
import type { WorkflowRecord } from '../core/model.js';
import { newSid } from '../core/sid.js';
import { callbackUrl, friendlyName, intInRange, requireParam } from '../core/validate.js';
import { compileWorkflowConfiguration } from '../core/workflow/index.js';
import type { WorkflowInput } from './commands.js';
import { transact, type EngineContext } from './context.js';
import { makeEvent, workflowFields } from './events.js';
import { reevaluateTask } from './placement.js';
import { tasksToList } from './task-list.js';
import type { WorkspaceConfig } from './workspace-config.js';

const DEFAULT_RESERVATION_TIMEOUT = 120;

function requireWorkflow(config: WorkspaceConfig, sid: string): WorkflowRecord {
  const workflow = config.workflows.get(sid);
  if (!workflow) throw notFound(`The requested resource /Workspaces/${config.workspace.sid}/Workflows/${sid} was not found`);
  return workflow;
}

type WorkflowSettings = Pick<WorkflowRecord, 'configuration' | 'assignmentCallbackUrl' | 'fallbackAssignmentCallbackUrl' | 'taskReservationTimeout'>;

function checkedSettings(ctx: EngineContext, config: WorkspaceConfig, input: WorkflowInput, current: WorkflowSettings): WorkflowSettings {
  const settings = { ...current };
  if (input.configuration !== undefined) {
    compileWorkflowConfiguration(input.configuration, (sid) => config.queues.has(sid));
    settings.configuration = input.configuration;
  }
  if (input.assignmentCallbackUrl !== undefined) {
    settings.assignmentCallbackUrl = callbackUrl(input.assignmentCallbackUrl, 'AssignmentCallbackUrl', ctx.callbackUrls) || null;
  }
  if (input.fallbackAssignmentCallbackUrl !== undefined) {
    settings.fallbackAssignmentCallbackUrl = callbackUrl(input.fallbackAssignmentCallbackUrl, 'FallbackAssignmentCallbackUrl', ctx.callbackUrls) || null;
  }
  if (input.taskReservationTimeout !== undefined) {
    settings.taskReservationTimeout = intInRange(input.taskReservationTimeout, 'TaskReservationTimeout', 1, 86_400);
  }
  return settings;
}

export async function createWorkflow(ctx: EngineContext, ws: string, input: WorkflowInput): Promise<WorkflowRecord> {
  const name = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
  requireParam(input.configuration, 'Configuration');
  return transact(ctx, ws, async (config, change) => {
    if (config.workflows.size >= 1000) throw badRequest('A workspace can have at most 1000 Workflows');
    const workflow = change.put('workflow', null, {
      sid: newSid('WW'),
      workspaceSid: ws,
      friendlyName: name,
      dateCreated: change.now,
      dateUpdated: change.now,
      version: 0,
      ...checkedSettings(ctx, config, input, {
        configuration: '',
        assignmentCallbackUrl: null,
        fallbackAssignmentCallbackUrl: null,
        taskReservationTimeout: DEFAULT_RESERVATION_TIMEOUT,
      }),
    });
    change.emit(makeEvent('workflow.created', config, change.now, workflow.sid, `Workflow ${name} created`, workflowFields(workflow)));
    return workflow;
  });
}

export async function updateWorkflow(ctx: EngineContext, ws: string, sid: string, input: WorkflowInput): Promise<WorkflowRecord> {
  const workflow = await transact(ctx, ws, async (config, change) => {
    const current = requireWorkflow(config, sid);
    const next: WorkflowRecord = { ...current, ...checkedSettings(ctx, config, input, current) };
    if (input.friendlyName !== undefined) next.friendlyName = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
    const written = change.put('workflow', current, next);
    change.emit(makeEvent('workflow.updated', config, change.now, sid, `Workflow ${written.friendlyName} updated`, workflowFields(written)));
    return written;
  });
  if (input.reEvaluateTasks) {
    const pending = await tasksToList(ctx.store, ws, { statuses: ['pending'], workflowSid: sid });
    const waiting = pending.filter((t) => t.workflowSid === sid && t.assignmentStatus === 'pending');
    for (const task of waiting) await reevaluateTask(ctx, ws, task.sid);
  }
  return workflow;
}

export async function deleteWorkflow(ctx: EngineContext, ws: string, sid: string): Promise<void> {
  await transact(ctx, ws, async (config, change) => {
    const workflow = requireWorkflow(config, sid);
    const tasks = await ctx.store.list(ws, 'task');
    if (tasks.some((t) => t.workflowSid === sid && ['pending', 'reserved', 'assigned', 'wrapping'].includes(t.assignmentStatus))) {
      throw badRequest(`Workflow ${sid} has active tasks and cannot be deleted`);
    }
    change.delete('workflow', workflow);
    change.emit(makeEvent('workflow.deleted', config, change.now, sid, `Workflow ${workflow.friendlyName} deleted`, workflowFields(workflow)));
  });
}
