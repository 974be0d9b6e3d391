import { twilioSignature } from './signing.js';
import type { HttpMethod } from '../core/types.js';

/** What the application answered. `status` is null when no HTTP response arrived (refused, reset, timed out). */
export interface WebhookResult {
  /** The URL actually requested: for GET, the original URL with the parameters appended. */
  url: string;
  status: number | null;
  contentType: string | null;
  body: string;
  error?: string;
}

/** One request the way Twilio makes it. */
export interface WebhookRequest {
  url: string;
  method: HttpMethod;
  params: Record<string, string>;
  authToken: string;
  timeoutMs: number;
  /** Overrides the signature header: `null` leaves it out (only for negative tests). */
  signature?: string | null;
  /** Aborts the request early (the simulator is shutting down). */
  signal?: AbortSignal;
}

/**
 * Sends a Twilio-style webhook. POST: form-encoded body, signature over URL + sorted params. GET: parameters appended
 * to the query string, signature over that full URL alone — exactly what `twilio.validateRequest` expects in each case.
 */
export async function sendWebhook(req: WebhookRequest): Promise<WebhookResult> {
  let url = req.url;
  let body: string | undefined;
  const headers: Record<string, string> = {
    'User-Agent': 'TwilioProxy/1.1',
    Accept: '*/*',
    'Cache-Control': 'max-age=259200',
  };
  if (req.method === 'GET') {
    const u = new URL(req.url);
    for (const [k, v] of Object.entries(req.params)) u.searchParams.append(k, v);
    url = u.toString();
  } else {
    body = new URLSearchParams(req.params).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const signature = req.signature !== undefined ? req.signature : twilioSignature(req.authToken, url, req.method === 'GET' ? {} : req.params);
  if (signature !== null) headers['X-Twilio-Signature'] = signature;

  try {
    const res = await fetch(url, {
      method: req.method,
      headers,
      body,
      redirect: 'follow',
      signal: req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]) : AbortSignal.timeout(req.timeoutMs),
    });
    return {
      url,
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: await res.text(),
    };
  } catch (err) {
    return { url, status: null, contentType: null, body: '', error: err instanceof Error ? err.message : String(err) };
  }
}
