import type { Request, RequestHandler, Response } from 'express';
import type { VoiceOutcome } from '../src/connector/voice/outcomes.js';
import { goodbyeTwiml } from '../twiml/goodbye.js';
import { voiceOutcomeTwiml } from '../twiml/voice-outcome.js';
import { log } from '../src/telemetry/log.js';

/** Said when a step of the call flow fails unexpectedly: better than Twilio's "application error". */
const APOLOGY = 'We are sorry, something went wrong on our side. Please call again later. Goodbye.';

/** The form parameters of a webhook, as strings (a repeated key keeps its last value). */
export function webhookParams(req: Request): Record<string, string | undefined> {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string') out[key] = last;
  }
  return out;
}

/** A query parameter as a string (undefined when absent or repeated oddly). */
export function queryParam(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function sendTwiml(res: Response, xml: string): void {
  res.status(200).type('text/xml').send(xml);
}

/**
 * A step of a call flow Twilio executes the answer of: the handler's outcome is sent as TwiML (`text/xml`). An
 * unexpected failure is logged and the caller hears an apology and is hung up on, instead of Twilio's generic error
 * message.
 */
export function voiceWebhook(handler: (req: Request) => Promise<VoiceOutcome> | VoiceOutcome): RequestHandler {
  return async (req, res) => {
    try {
      sendTwiml(res, voiceOutcomeTwiml(await handler(req)));
    } catch (err) {
      log.error({ err, call_sid: req.body?.CallSid }, 'voice webhook failed');
      sendTwiml(res, goodbyeTwiml({ language: 'en-US', voice: null }, APOLOGY));
    }
  };
}

/**
 * A status callback (a call's progress, a message's delivery report): Twilio only needs to hear it arrived (204); a
 * failure is logged and answered 500.
 */
export function statusWebhook(handler: (req: Request) => Promise<void>): RequestHandler {
  return async (req, res) => {
    try {
      await handler(req);
      res.status(204).end();
    } catch (err) {
      log.error({ err, call_sid: req.body?.CallSid, message_sid: req.body?.MessageSid }, 'status callback failed');
      res.status(500).end();
    }
  };
}
