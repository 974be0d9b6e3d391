import type { RequestHandler } from 'express';
import twilio from 'twilio';
import { TwilioError } from '../src/core/errors.js';
import { sendError } from '../src/api/errors.js';

/**
 * The URL Twilio signed: our public base URL with the request's path and query. Behind a proxy that strips a path
 * prefix of PUBLIC_URL, the prefix is put back; when the request still carries it, the origin is enough.
 */
export function signedUrl(publicUrl: string, originalUrl: string): string {
  const base = new URL(publicUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return prefix && !originalUrl.startsWith(`${prefix}/`) ? `${base.origin}${prefix}${originalUrl}` : `${base.origin}${originalUrl}`;
}

/**
 * Refuses any webhook not signed by Twilio with our auth token (`X-Twilio-Signature` over PUBLIC_URL + path + query
 * and the form parameters): 400 without the header, 403 with a wrong one. Call-flow state travels in our URLs'
 * queries, so this is also what keeps it from being forged. Needs the form body parsed.
 */
export function twilioSignature(authToken: string, publicUrl: () => string): RequestHandler {
  return (req, res, next) => {
    const signature = req.get('X-Twilio-Signature');
    if (!signature) return sendError(res, new TwilioError(20001, 400, 'Missing X-Twilio-Signature header: webhooks are only accepted from Twilio'));
    const params = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    if (!twilio.validateRequest(authToken, signature, signedUrl(publicUrl(), req.originalUrl), params)) {
      return sendError(res, new TwilioError(20403, 403, 'Invalid X-Twilio-Signature: the request was not signed by Twilio for this URL'));
    }
    next();
  };
}
