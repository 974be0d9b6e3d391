import { Router } from 'express';
import { ACTIVE_RESERVATION_STATUSES, HANDLED_RESERVATION_STATUSES, holdsReservation } from '../../access/reservation-holders.js';
import type { ReservationStatus } from '../../core/model.js';
import type { Conversation } from '../../connector/sms/conversation.js';
import type { Conversations } from '../../connector/sms/conversations.js';
import { notFound } from '../../core/errors.js';
import { callerOf } from '../auth.js';
import { pathParam, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';
import { serializeConversation, serializeConversationMessage } from './connector-conversations-wire.js';
import type { Request, Response } from 'express';

/**
 * `/v1/Workspaces/{WS}/Tasks/{WT}/Conversation` — the SMS conversation of a task, for the agent working it: `GET`
 * describes it with its messages (oldest first), `POST …/Messages` (`Body`) sends the agent's reply through Twilio,
 * exactly as the connector's `/v1/Connector/Conversations/{id}/Messages` does. A worker token reads the thread of a
 * task it holds a reservation for or completed one of (its desk may read it again as the task leaves), and replies
 * only while its reservation is active (403 otherwise); the reply's author is the token's worker, by name.
 */
export function agentConversationRouter(api: ApiContext, conversations: Conversations | null): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const conversation = await taskConversation(api, conversations, req, res, HANDLED_RESERVATION_STATUSES);
    const { messages } = await conversations!.messages(conversation.sid);
    const base = api.publicUrl().replace(/\/+$/, '');
    res.status(200).json({
      ...serializeConversation(conversation, base, api.engine.accountSid, messages.length),
      messages: messages.map((m) => serializeConversationMessage(m, conversation.sid, api.engine.accountSid)),
    });
  });

  router.post('/Messages', async (req, res) => {
    const conversation = await taskConversation(api, conversations, req, res, ACTIVE_RESERVATION_STATUSES);
    const author = await authorOf(api, req, res);
    const { message } = await conversations!.reply(conversation.sid, { body: TwilioParams.of(req.body).string('Body'), mediaUrls: [], author });
    res.status(201).json(serializeConversationMessage(message, conversation.sid, api.engine.accountSid));
  });

  return router;
}

/** Who a reply is from: a token's worker (by name, else the token's identity), or the account's `Author`. */
async function authorOf(api: ApiContext, req: Request, res: Response): Promise<string | null> {
  const caller = callerOf(res);
  if (caller.kind === 'account') return TwilioParams.of(req.body).string('Author') ?? null;
  const { workerSid, identity } = caller.scope.claims;
  const worker = workerSid ? await api.engine.store.get(pathParam(req, 'ws'), 'worker', workerSid) : null;
  return worker?.friendlyName ?? (identity || null);
}

/** The path's task's conversation, once the caller may reach the task; 404 when it has none. */
async function taskConversation(
  api: ApiContext,
  conversations: Conversations | null,
  req: Request,
  res: Response,
  /** The statuses of a worker token's reservation for the task that let it through. */
  reservationStatuses: ReadonlySet<ReservationStatus>,
): Promise<Conversation> {
  const ws = pathParam(req, 'ws');
  const wt = pathParam(req, 'wt');
  const caller = callerOf(res);
  if (caller.kind === 'token') await caller.scope.task(ws, wt, (workerSid) => holdsReservation(api.engine, ws, wt, workerSid, reservationStatuses));
  const missing = () => notFound(`The requested resource /Workspaces/${ws}/Tasks/${wt}/Conversation was not found`);
  if (!conversations) throw missing();
  const conversation = await conversations.store.find(wt);
  if (!conversation || conversation.workspaceSid !== ws || conversation.taskSid !== wt) throw missing();
  return conversation;
}
