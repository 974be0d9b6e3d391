import { CommitConflict, serviceUnavailable } from '../../core/errors.js';
import type { PhoneNumberRecord } from '../../core/model.js';
import type { RoutingEngine } from '../../engine/engine.js';
import type { Conversation, ConversationMessage } from './conversation.js';
import { newConversationSid } from './conversation-keys.js';
import type { ConversationStore } from './conversation-store.js';
import { liveConversation, noteMessage } from './conversation-task.js';
import { inboundMessage } from './sms-message.js';
import { smsTaskAttributes } from './sms-task-attributes.js';
import { log } from '../../telemetry/log.js';

/** What filing an inbound message did. */
export type SmsFiling =
  | { kind: 'opened'; conversation: Conversation }
  | { kind: 'joined'; conversation: Conversation }
  /** Twilio sent the same message again (a retried webhook): it was filed already. */
  | { kind: 'duplicate'; conversationSid: string };

export interface InboundSmsDeps {
  engine: RoutingEngine;
  conversations: ConversationStore;
}

const ATTEMPTS = 5;

/**
 * Files a customer's message to one of our numbers. The pair's open conversation (whose task still runs) gets it
 * and its task a note; otherwise it opens a conversation with a new task on the number's workflow and SMS channel.
 * Two instances receiving the pair's first messages at once both create a task, but only one opens the
 * conversation: the other deletes its task and files its message in the winner's conversation.
 */
export async function receiveSms(deps: InboundSmsDeps, number: PhoneNumberRecord, params: Record<string, string | undefined>): Promise<SmsFiling> {
  const { engine, conversations } = deps;
  const message = inboundMessage(params, engine.clock.now());
  // The address the customer wrote to, as Twilio gives it (`whatsapp:+1…` too): replies must come from it.
  const address = message.to || number.number;
  let claimInbound = true;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const filed = claimInbound && message.sid ? await conversations.filedIn(address, message.from, message.sid) : null;
    if (filed) return { kind: 'duplicate', conversationSid: filed };

    const live = await liveConversation(engine, conversations, address, message.from);
    if (live) {
      const current = live.conversation;
      try {
        await conversations.file(current.sid, message, claimInbound);
      } catch (err) {
        if (err instanceof CommitConflict) continue;
        throw err;
      }
      const after = await conversations.get(current.sid);
      if (after?.status === 'closed') {
        // The task ended as the message arrived: it is in the closed conversation's history, and it opens the next
        // conversation too, so someone answers it.
        claimInbound = false;
        continue;
      }
      await noteMessage(engine, current, message, live.task);
      return { kind: 'joined', conversation: current };
    }

    const opened = await openConversation(deps, number, address, message, params, claimInbound);
    if (opened) return { kind: 'opened', conversation: opened };
  }
  throw serviceUnavailable(`Conversations between ${address} and ${message.from} kept changing while a message was filed`);
}

/** Creates the task and opens the conversation; null when another instance opened the pair's conversation first. */
async function openConversation(
  deps: InboundSmsDeps,
  number: PhoneNumberRecord,
  address: string,
  message: ConversationMessage,
  params: Record<string, string | undefined>,
  claimInbound: boolean,
): Promise<Conversation | null> {
  const { engine, conversations } = deps;
  const sid = newConversationSid(address, message.from);
  const task = await engine.createTask(number.workspaceSid, {
    workflowSid: number.workflowSid,
    taskChannel: number.smsTaskChannel,
    attributes: JSON.stringify(smsTaskAttributes(message, sid, params)),
  });
  const opening = {
    sid,
    workspaceSid: number.workspaceSid,
    taskSid: task.sid,
    numberSid: number.sid,
    number: address,
    customer: message.from,
    dateCreated: message.dateCreated,
  };
  try {
    await conversations.open(opening, message, claimInbound);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    await engine.deleteTask(number.workspaceSid, task.sid).catch((cause: unknown) => {
      log.error(
        { err: cause, workspace_sid: number.workspaceSid, task_sid: task.sid },
        'could not delete a task created for a conversation another instance opened first',
      );
    });
    return null;
  }
  return { ...opening, status: 'open', dateClosed: null, closedReason: null };
}
