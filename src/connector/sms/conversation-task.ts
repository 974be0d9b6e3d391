import { TwilioError } from '../../core/errors.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { attributesOf } from '../../telephony/agent-address.js';
import type { Conversation, ConversationMessage } from './conversation.js';
import type { ConversationStore } from './conversation-store.js';
import { messageNote } from './sms-task-attributes.js';

/** Task statuses after which a conversation has no one left to answer it. */
const ENDED = new Set(['completed', 'canceled']);
const ATTEMPTS = 5;

/**
 * The pair's open conversation, if its task still runs (see `stillOpen`).
 */
export async function liveConversation(engine: RoutingEngine, conversations: ConversationStore, number: string, customer: string): Promise<Conversation | null> {
  const open = await conversations.openBetween(number, customer);
  return open && (await stillOpen(engine, conversations, open)) ? open : null;
}

/**
 * Whether an open conversation's task still runs. One whose task ended or vanished without this instance hearing
 * of it (the instance that ended it died first, the workspace was deleted) is closed here, so the customer's next
 * message opens a new task instead of landing where nobody reads it.
 */
export async function stillOpen(engine: RoutingEngine, conversations: ConversationStore, conversation: Conversation): Promise<boolean> {
  if (conversation.status !== 'open') return false;
  const task = await engine.store.get(conversation.workspaceSid, 'task', conversation.taskSid);
  if (task && !ENDED.has(task.assignmentStatus)) return true;
  await conversations.close(conversation, task ? `task ${task.assignmentStatus}` : 'task deleted', engine.clock.now());
  return false;
}

/**
 * Notes a customer's new message in the conversation's task (how many they sent, the latest one), so agents see a
 * `task.updated`. Made against the version read (If-Match), again on a newer one; each message is filed once, so
 * each adds one. A task that ended meanwhile is left alone.
 */
export async function noteMessage(engine: RoutingEngine, conversation: Conversation, message: ConversationMessage): Promise<void> {
  const ws = conversation.workspaceSid;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const task = await engine.store.get(ws, 'task', conversation.taskSid);
    if (!task || ENDED.has(task.assignmentStatus)) return;
    const attributes = attributesOf(task);
    const sent = typeof attributes.message_count === 'number' ? attributes.message_count : 1;
    try {
      await engine.updateTask(ws, task.sid, { attributes: JSON.stringify({ ...attributes, ...messageNote(sent + 1, message) }), ifMatch: String(task.version) });
      return;
    } catch (err) {
      if (!(err instanceof TwilioError) || err.status >= 500) throw err;
      // 412: changed since read, read again; any other refusal means the task moved on and needs no note.
      if (err.status !== 412) return;
    }
  }
}
