import type { RequestHandler } from 'express';
import { sendError } from '../src/api/errors.js';
import { signedByTwilio, signedUrl } from '../src/connector/twilio/signature.js';
import { TwilioError } from '../src/core/errors.js';

/**
 * Refuses any webhook not signed by Twilio with our auth token (`X-Twilio-Signature` over PUBLIC_URL + path + query
 * and the form parameters): 400 without the header or with a request target that is no valid path or URL, 403
 * with a wrong signature. Call-flow state travels in our URLs' queries, so this is also what keeps it from being
 * forged. Needs the form body parsed.
 */
export function twilioSignature(authToken: string, publicUrl: () => string): RequestHandler {
  return (req, res, next) => {
    const signature = req.get('X-Twilio-Signature');
    if (!signature) return sendError(res, new TwilioError(20001, 400, 'Missing X-Twilio-Signature header: webhooks are only accepted from Twilio'));
    const url = signedUrl(publicUrl(), req.originalUrl);
    if (!url) return sendError(res, new TwilioError(20001, 400, 'The request target is not a valid path or URL'));
    const params = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    if (!signedByTwilio(authToken, signature, url, params)) {
      return sendError(res, new TwilioError(20403, 403, 'Invalid X-Twilio-Signature: the request was not signed by Twilio for this URL'));
    }
    next();
  };
}
