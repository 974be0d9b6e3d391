import { Router } from 'express';
import { smsArrived } from '../src/connector/sms/sms-connector.js';
import { smsReplyTwiml } from '../twiml/sms-reply.js';
import { messagingWebhook } from './messaging-respond.js';
import { webhookParams } from './respond.js';
import type { SmsWebhookDeps } from './sms-deps.js';

/**
 * `POST /sms` — a customer's message to one of our numbers (sms-connector.ts `smsArrived`), answered with the
 * number's automatic reply when it opened a conversation, else with nothing.
 */
export function smsInboundRouter(deps: SmsWebhookDeps): Router {
  const router = Router();
  router.post(
    '/sms',
    messagingWebhook(async (req) => smsReplyTwiml(await smsArrived(deps, webhookParams(req)))),
  );
  return router;
}
