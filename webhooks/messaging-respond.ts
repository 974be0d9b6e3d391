import type { Request, RequestHandler } from 'express';
import { log } from '../src/telemetry/log.js';

/**
 * A messaging webhook: the handler's messaging TwiML is sent as `text/xml`. An unexpected failure is logged and
 * answered 500, so Twilio hands the message to the number's fallback URL, if one is set, rather than dropping it.
 */
export function messagingWebhook(handler: (req: Request) => Promise<string>): RequestHandler {
  return async (req, res) => {
    try {
      res
        .status(200)
        .type('text/xml')
        .send(await handler(req));
    } catch (err) {
      log.error({ err, message_sid: req.body?.MessageSid }, 'messaging webhook failed');
      res.status(500).end();
    }
  };
}
