import { eventTypes, isEventOf, type TaskRouterEvent } from '../../core/events/index.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { parseAttributes } from '../../engine/routing-scope.js';
import { forgetCall, taskOfCall } from '../call-index.js';
import type { ConnectorState } from '../state/connector-state.js';
import { log } from '../../telemetry/log.js';

/** The task events after which a call's task is over. */
const ENDING_EVENTS = eventTypes('task.completed', 'task.canceled', 'task.deleted', 'task.system-deleted');

/**
 * Lets go of what is kept about a call once its task ends, for calls whose end Twilio does not tell us about: a
 * caller given the fallback (voicemail, message) on a number without a status callback leaves nothing behind once
 * their callback task is done. Every instance hears the events its own engine commits. Returns the unsubscribe
 * function.
 */
export function forgetCallsOfEndedTasks(engine: RoutingEngine, state: ConnectorState): () => void {
  return engine.onEvent((event: TaskRouterEvent) => {
    if (event.resourceType !== 'task' || !isEventOf(event, ENDING_EVENTS)) return;
    const callSid = parseAttributes(event.data.task_attributes).call_sid;
    if (typeof callSid !== 'string' || callSid === '') return;
    forgetCallOfTask(state, callSid, event.resourceSid).catch((err: unknown) => {
      log.error({ err, workspace_sid: event.workspaceSid, task_sid: event.resourceSid, call_sid: callSid }, 'could not forget the call of an ended task');
    });
  });
}

async function forgetCallOfTask(state: ConnectorState, callSid: string, taskSid: string): Promise<void> {
  const call = await taskOfCall(state, callSid);
  if (call?.taskSid === taskSid) await forgetCall(state, callSid);
}
