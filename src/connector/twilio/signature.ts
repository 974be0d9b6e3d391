import twilio from 'twilio';
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
