import { context, propagation } from '@opentelemetry/api';
import twilio from 'twilio';
import { CallbackRefused } from '../core/callback-url.js';
import type { CallbackFetch } from './callback-http.js';

/** A form POST to a customer's endpoint, signed as Twilio signs its webhooks. */
export interface SignedPost {
  url: string;
  params: Record<string, string>;
  /** The account's auth token: the receiver checks `X-Twilio-Signature` with it. */
  authToken: string;
  /** The whole exchange, answer body included, must fit in this (ms). */
  timeoutMs: number;
  /** Aborts the request early (shutdown). */
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** What came back: `ok` for a 2xx; `status` null when no answer arrived (refused, reset, timed out). */
export interface PostAnswer {
  ok: boolean;
  status: number | null;
  body: string;
  error?: unknown;
}

/** Answers larger than this are cut: instructions are a few hundred bytes, and a receiver must not cost us memory. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs `params` form-encoded with `X-Twilio-Signature` computed by twilio's own signer over the URL exactly as
 * configured, so `twilio.validateRequest(authToken, signature, url, params)` accepts it on the other side. When
 * tracing, the active span's context goes along (`traceparent`), so the receiver's trace can continue ours; the
 * signature does not cover headers. Never throws: failures come back as answers.
 */
export async function postSigned(http: CallbackFetch, post: SignedPost): Promise<PostAnswer> {
  const signature = twilio.getExpectedTwilioSignature(post.authToken, post.url, post.params);
  const deadline = AbortSignal.timeout(post.timeoutMs);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Twilio-Signature': signature,
    ...post.headers,
  };
  propagation.inject(context.active(), headers);
  try {
    const res = await http(post.url, {
      method: 'POST',
      headers,
      body: new URLSearchParams(post.params).toString(),
      // A redirect would turn the POST into a GET without the signed parameters: count it as a failure instead.
      redirect: 'manual',
      signal: post.signal ? AbortSignal.any([deadline, post.signal]) : deadline,
    });
    const body = await readCapped(res);
    return { ok: res.status >= 200 && res.status < 300, status: res.status, body };
  } catch (error) {
    return { ok: false, status: null, body: '', error };
  }
}

async function readCapped(res: Pick<Response, 'body'>): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES);
}

/** The refusal that kept a callback from being sent (before sending, or when connecting), if that is what failed. */
export function refusalOf(answer: PostAnswer): CallbackRefused | null {
  const error = answer.error as { cause?: unknown } | undefined;
  if (error instanceof CallbackRefused) return error;
  return error?.cause instanceof CallbackRefused ? error.cause : null;
}

/** A short account of a failed answer, for logs. */
export function failureOf(answer: PostAnswer): string {
  if (answer.status !== null) return `HTTP ${answer.status}`;
  const refusal = refusalOf(answer);
  if (refusal) return `refused: ${refusal.message}`;
  const error = answer.error as { name?: string; cause?: { code?: string } } | undefined;
  return error?.cause?.code ?? error?.name ?? 'no answer';
}
