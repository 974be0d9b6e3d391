import type { HttpMethod } from '../core/types.js';
import { twilioSignature } from './signing.js';
import { sendWebhook, type WebhookResult } from './webhook.js';

/** A request that looks like Twilio's but whose signature is wrong in a chosen way. */
export interface ForgeOptions {
  url: string;
  /** Default POST. */
  method?: HttpMethod;
  params?: Record<string, string>;
  /**
   * - `valid`: correctly signed (a control case, or a hand-made callback);
   * - `missing`: no `X-Twilio-Signature` header;
   * - `wrong-token`: signed with another auth token;
   * - `tampered`: signed over `params`, but one more parameter is added to the body after signing;
   * - `{ value }`: exactly this header value.
   * Default `wrong-token`.
   */
  signature?: 'valid' | 'missing' | 'wrong-token' | 'tampered' | { value: string };
}

/** Sends a Twilio-looking webhook with a missing or broken signature, for the application's negative tests. */
export function forgeWebhook(authToken: string, timeoutMs: number, o: ForgeOptions): Promise<WebhookResult> {
  const method = o.method ?? 'POST';
  const params = o.params ?? {};
  const kind = o.signature ?? 'wrong-token';
  const base = { url: o.url, method, params, authToken, timeoutMs };
  if (kind === 'valid') return sendWebhook(base);
  if (kind === 'missing') return sendWebhook({ ...base, signature: null });
  if (kind === 'wrong-token') return sendWebhook({ ...base, authToken: `${authToken}-not-the-token` });
  if (kind === 'tampered') {
    if (method === 'GET') {
      const signedUrl = new URL(o.url);
      for (const [k, v] of Object.entries(params)) signedUrl.searchParams.append(k, v);
      const signature = twilioSignature(authToken, signedUrl.toString(), {});
      return sendWebhook({ ...base, params: { ...params, Tampered: '1' }, signature });
    }
    const signature = twilioSignature(authToken, o.url, params);
    return sendWebhook({ ...base, params: { ...params, Tampered: '1' }, signature });
  }
  return sendWebhook({ ...base, signature: kind.value });
}
