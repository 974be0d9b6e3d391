import type { TaskRecord } from '../../core/model.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { mergeTaskAttributes } from '../task-attributes.js';
import type { Conversation, ConversationMessage } from './conversation.js';
import type { ConversationStore } from './conversation-store.js';
import { messageNote } from './sms-task-attributes.js';

/** Task statuses after which a conversation has no one left to answer it. */
const ENDED = new Set(['completed', 'canceled']);

/**
 * The pair's open conversation, if its task still runs (see `stillOpen`), with the task as read.
 */
export async function liveConversation(
  engine: RoutingEngine,
  conversations: ConversationStore,
  number: string,
  customer: string,
): Promise<{ conversation: Conversation; task: TaskRecord } | null> {
  const open = await conversations.openBetween(number, customer);
  const task = open ? await runningTask(engine, conversations, open) : null;
  return open && task ? { conversation: open, task } : null;
}

/**
 * Whether an open conversation's task still runs. One whose task ended or vanished without this instance hearing
 * of it (the instance that ended it died first, the workspace was deleted) is closed here, so the customer's next
 * message opens a new task instead of landing where nobody reads it.
 */
export async function stillOpen(engine: RoutingEngine, conversations: ConversationStore, conversation: Conversation): Promise<boolean> {
  return (await runningTask(engine, conversations, conversation)) !== null;
}

/** The open conversation's task while it still runs; otherwise null, and the conversation is closed (see `stillOpen`). */
async function runningTask(engine: RoutingEngine, conversations: ConversationStore, conversation: Conversation): Promise<TaskRecord | null> {
  if (conversation.status !== 'open') return null;
  const task = await engine.store.get(conversation.workspaceSid, 'task', conversation.taskSid);
  if (task && !ENDED.has(task.assignmentStatus)) return task;
  await conversations.close(conversation, task ? `task ${task.assignmentStatus}` : 'task deleted', engine.clock.now());
  return null;
}

/**
 * Notes a customer's new message in the conversation's task (how many they sent, the latest one), so agents see a
 * `task.updated`. Made against the version read (`read`, when the caller has the task, else read here; If-Match),
 * again on a newer one; each message is filed once, so each adds one. A task that ended meanwhile, refuses the
 * update, or keeps changing is left alone.
 */
export async function noteMessage(engine: RoutingEngine, conversation: Conversation, message: ConversationMessage, read?: TaskRecord): Promise<void> {
  const note = (attributes: Record<string, unknown>, task: TaskRecord): Record<string, unknown> | null => {
    if (ENDED.has(task.assignmentStatus)) return null;
    const sent = typeof attributes.message_count === 'number' ? attributes.message_count : 1;
    return messageNote(attributes, sent + 1, message);
  };
  await mergeTaskAttributes(engine, conversation.workspaceSid, conversation.taskSid, note, { read, bestEffort: true });
}
