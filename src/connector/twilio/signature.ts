import type { RequestHandler } from 'express';
import twilio from 'twilio';
import { TwilioError } from '../../core/errors.js';
import { sendError } from '../../api/errors.js';
import { readRequestTarget } from '../../sockets/request-target.js';

/**
 * The URL Twilio signed: our public base URL with the request's path and query, as the request carried them (an
 * absolute-form target contributes only its path and query: Twilio signs the URL it requested, which is always
 * ours). Behind a proxy that strips a path prefix of PUBLIC_URL, the prefix is put back; when the request still
 * carries it, the origin is enough. Null when the request target is not a valid path or URL.
 */
export function signedUrl(publicUrl: string, requestTarget: string): string | null {
  const target = readRequestTarget(requestTarget);
  if (!target) return null;
  const base = new URL(publicUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = target.pathAndQuery;
  return prefix && !path.startsWith(`${prefix}/`) ? `${base.origin}${prefix}${path}` : `${base.origin}${path}`;
}

/** Whether `signature` is Twilio's, under our auth token, over `url` and `params`; false for anything malformed. */
export function signedByTwilio(authToken: string, signature: string, url: string, params: Record<string, unknown>): boolean {
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    // twilio-node parses the URL with `new URL()`: a URL it cannot parse was signed by nobody.
    return false;
  }
}

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
