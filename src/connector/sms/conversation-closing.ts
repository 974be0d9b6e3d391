import type { EventType, TaskRouterEvent } from '../../core/events/index.js';
import type { RoutingEngine } from '../../engine/engine.js';
import type { ConversationStore } from './conversation-store.js';
import { log } from '../../telemetry/log.js';

/** The task events after which nobody answers the task's conversation any more, with the reason recorded. */
const ENDING_EVENTS: Partial<Record<EventType, string>> = {
  'task.completed': 'task completed',
  'task.canceled': 'task canceled',
  'task.deleted': 'task deleted',
  'task.system-deleted': 'task system-deleted',
};

/**
 * Closes a task's conversation when the task ends — completed, canceled (a timeout too), deleted — so the customer's
 * next message opens a new task rather than joining one nobody will see. Every instance hears the events its own
 * engine commits; an ending missed here is caught when the next message arrives (conversation-task.ts). Returns
 * the unsubscribe function.
 */
export function closeConversationsWithTasks(engine: RoutingEngine, conversations: ConversationStore): () => void {
  return engine.onEvent((event: TaskRouterEvent) => {
    const reason = ENDING_EVENTS[event.eventType];
    if (!reason || event.resourceType !== 'task') return;
    closeTaskConversation(conversations, event.resourceSid, reason, event.eventDate).catch((err: unknown) => {
      log.error({ err, workspace_sid: event.workspaceSid, task_sid: event.resourceSid }, 'could not close the conversation of an ended task');
    });
  });
}

async function closeTaskConversation(conversations: ConversationStore, taskSid: string, reason: string, now: number): Promise<void> {
  const conversation = await conversations.find(taskSid);
  if (conversation?.status === 'open') await conversations.close(conversation, reason, now);
}
