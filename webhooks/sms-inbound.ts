import { Router } from 'express';
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
      const number = to ? await deps.directory.numberInService(to.replace(/^whatsapp:/, '')) : null;
      if (!number) {
        console.warn(`SMS to ${to || 'no number'} ignored: the number is not configured`);
        return smsReplyTwiml(null);
      }
      const filing = await deps.conversations.receive(number, params);
      // Only the first message of a conversation is answered automatically.
      if (filing.kind !== 'opened' || !number.smsAutoReply) return smsReplyTwiml(null);
      await deps.conversations.fileAutoReply(filing.conversation, number.smsAutoReply);
      return smsReplyTwiml(number.smsAutoReply);
    }),
  );
  return router;
}
