import { Router } from 'express';
import { badRequest } from '../../core/errors.js';
import type { Conversations } from '../../connector/sms/conversations.js';
import { pathParam, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';
import { serializeConversation, serializeConversationMessage } from './connector-conversations-wire.js';
import { sendList } from './respond.js';

/**
 * `/v1/Connector/Conversations/{CH… or WT…}` — an SMS conversation, found by its sid or its task's sid.
 * `GET …/Messages` lists its messages, oldest first, paged like every list of the API. `POST …/Messages` sends an
 * agent's reply (`Body`, `MediaUrl` repeated, optional `Author`) through Twilio and files it; a closed
 * conversation refuses replies with a 400.
 */
export function connectorConversationsRouter(api: ApiContext, conversations: Conversations): Router {
  const router = Router();
  const base = () => api.publicUrl().replace(/\/+$/, '');

  router.get('/:id', async (req, res) => {
    const conversation = await conversations.conversation(pathParam(req, 'id'));
    const count = await conversations.store.messageCount(conversation.sid);
    res.status(200).json(serializeConversation(conversation, base(), api.engine.accountSid, count));
  });

  router.get('/:id/Messages', async (req, res) => {
    const { conversation, messages } = await conversations.messages(pathParam(req, 'id'));
    sendList(req, res, { publicUrl: base() }, 'messages', messages, (m) => serializeConversationMessage(m, conversation.sid, api.engine.accountSid));
  });

  router.post('/:id/Messages', async (req, res) => {
    const body = TwilioParams.of(req.body);
    const { conversation, message } = await conversations.reply(pathParam(req, 'id'), {
      body: body.string('Body'),
      mediaUrls: mediaUrls((req.body as Record<string, unknown> | undefined)?.MediaUrl),
      author: body.string('Author') ?? null,
    });
    res.status(201).json(serializeConversationMessage(message, conversation.sid, api.engine.accountSid));
  });

  return router;
}

/** `MediaUrl` as sent: repeated, or one value; URLs may hold commas, so values are not split. */
function mediaUrls(raw: unknown): string[] {
  if (raw === undefined) return [];
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.some((v) => typeof v !== 'string')) throw badRequest('MediaUrl must be a URL or a list of URLs');
  return (values as string[]).map((v) => v.trim()).filter((v) => v !== '');
}
