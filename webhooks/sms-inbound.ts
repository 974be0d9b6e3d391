import { Router } from 'express';
import { receiveSms } from '../src/connector/sms/inbound-sms.js';
import { smsReplyTwiml } from '../twiml/sms-reply.js';
import { messagingWebhook } from './messaging-respond.js';
import { webhookParams } from './respond.js';
import type { SmsWebhookDeps } from './sms-deps.js';

/**
 * `POST /sms` — a customer's SMS/MMS (or WhatsApp message) to one of our numbers: the number written to (`To`)
 * selects its configuration; the message joins the pair's open conversation, or opens one with a new task. The
 * number's automatic reply, if it has one, answers the first message of a conversation, and is filed with it.
 * Messages to numbers we do not serve get no answer.
 */
export function smsInboundRouter(deps: SmsWebhookDeps): Router {
  const router = Router();
  router.post(
    '/sms',
    messagingWebhook(async (req) => {
      const params = webhookParams(req);
      const to = params.To ?? '';
      const number = to ? await deps.directory.findPhoneNumber(to.replace(/^whatsapp:/, '')) : null;
      if (!number) {
        console.warn(`SMS to ${to || 'no number'} ignored: the number is not configured`);
        return smsReplyTwiml(null);
      }
      const filing = await receiveSms({ engine: deps.engine, conversations: deps.conversations.store }, number, params);
      const autoReply = filing.kind === 'opened' ? (number.smsAutoReply ?? null) : null;
      if (filing.kind === 'opened' && autoReply) {
        const { conversation } = filing;
        await deps.conversations.store.file(conversation.sid, {
          sid: null,
          direction: 'outbound',
          from: conversation.number,
          to: conversation.customer,
          body: autoReply,
          mediaUrls: [],
          author: 'auto_reply',
          status: null,
          errorCode: null,
          dateCreated: deps.engine.clock.now(),
        });
      }
      return smsReplyTwiml(autoReply);
    }),
  );
  return router;
}
