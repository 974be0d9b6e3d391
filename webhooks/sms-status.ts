import { Router } from 'express';
import { queryParam, statusWebhook, webhookParams } from './respond.js';
import type { SmsWebhookDeps } from './sms-deps.js';

/**
 * `POST /sms/status?conversation=CH…` — Twilio's delivery reports for an agent's reply (queued, sent, delivered,
 * undelivered, failed…), kept with the conversation's message.
 */
export function smsStatusRouter(deps: SmsWebhookDeps): Router {
  const router = Router();
  router.post(
    '/sms/status',
    statusWebhook(async (req) => {
      const params = webhookParams(req);
      const conversationSid = queryParam(req, 'conversation');
      const messageSid = params.MessageSid ?? params.SmsSid;
      const status = params.MessageStatus ?? params.SmsStatus;
      if (!conversationSid || !messageSid || !status) return;
      const code = params.ErrorCode ? Number(params.ErrorCode) : null;
      await deps.conversations.recordDelivery(conversationSid, { messageSid, status, errorCode: Number.isFinite(code) ? code : null });
    }),
  );
  return router;
}
