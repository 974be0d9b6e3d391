import type { Api } from '../shared/api.ts';

/** What a supervisor does from the wallboard, through TaskRouter's REST API. */

/** Moves an agent to another activity. */
export async function setAgentActivity(api: Api, workspaceSid: string, workerSid: string, activitySid: string): Promise<void> {
  await api.post(`/v1/Workspaces/${workspaceSid}/Workers/${workerSid}`, { ActivitySid: activitySid });
}

/** How a supervisor ends a stuck task: completed (it was handled) or canceled (it will not be). */
export type TaskEnding = 'completed' | 'canceled';

/** Ends a task with the supervisor's reason, as an agent's or the workflow's ending would. */
export async function endTask(api: Api, workspaceSid: string, taskSid: string, ending: TaskEnding, reason: string): Promise<void> {
  await api.post(`/v1/Workspaces/${workspaceSid}/Tasks/${taskSid}`, { AssignmentStatus: ending, Reason: reason });
}
