import type { SimEnv } from '../core/env.js';
import type { Scope } from '../core/scope.js';
import type { FetchTarget, HttpMethod, RequestPurpose, UrlTarget } from '../core/types.js';
import type { WebhookResult } from '../http/webhook.js';
import { parseTwiml, TwimlError, type TwimlDocument } from '../twiml/parse.js';
import type { VoiceContext } from '../twiml/schema.js';
import type { SimCall } from './call.js';

/**
 * A document could not be obtained or run: Twilio's error code (11200 HTTP retrieval failure, 12100 parse failure,
 * 12200 schema violation, 12300 bad Content-Type, 11100 bad URL, 21220 call not in progress…). Twilio then plays its
 * "application error" message and hangs up, or reports `QueueResult=error` inside a queue.
 */
export class FetchFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}

/** A validated document and the URL relative references in it resolve against (null for inline TwiML). */
export interface LoadedDoc {
  url: string | null;
  purpose: RequestPurpose;
  document: TwimlDocument;
}

const XML_TYPES = /^(text\/xml|application\/xml|text\/plain|application\/[a-z.+-]*\+xml)\b/i;

/** Resolves an attribute URL against the document that contains it, as Twilio does for relative URLs. */
export function resolveUrl(doc: { url: string | null }, ref: string): string {
  try {
    return new URL(ref.trim(), doc.url ?? undefined).toString();
  } catch {
    throw new FetchFailure(11100, `Invalid URL "${ref}"${doc.url ? '' : ' (relative URL in inline TwiML)'}`);
  }
}

/** The `method` attribute, defaulting to POST as every TwiML method attribute does. */
export function methodOf(value: string | undefined): HttpMethod {
  return value === 'GET' ? 'GET' : 'POST';
}

/** Records an error the way Twilio's debugger would show it, and returns the failure to throw. */
export function fail(env: SimEnv, call: SimCall, code: number, message: string): FetchFailure {
  env.record(call.sid, { type: 'error', code, message });
  return new FetchFailure(code, message);
}

/**
 * Fetches (or takes inline) the TwiML for `target`, validates it for `context`, and logs it. Throws
 * {@link FetchFailure} on any problem after recording it; a `scope` interruption while waiting propagates.
 */
export async function loadDocument(env: SimEnv, call: SimCall, scope: Scope, target: FetchTarget, context: VoiceContext): Promise<LoadedDoc> {
  if ('twiml' in target) {
    const document = validate(env, call, target.twiml, target.purpose, null, context);
    return { url: null, purpose: target.purpose, document };
  }
  const params = { ...call.params(), ...target.params };
  const result = await scope.race(env.webhook(call.sid, target.purpose, target.method, target.url, params));
  scope.throwIfAborted();
  // The failed request itself was already logged as error 11200.
  if (result.status === null || result.status < 200 || result.status >= 300) {
    throw new FetchFailure(11200, `HTTP retrieval failure: ${target.method} ${target.url}`);
  }
  const contentType = result.contentType ?? '';
  if (/^audio\//i.test(contentType)) {
    // Twilio plays an audio response as if it were <Play>url</Play>.
    return {
      url: target.url,
      purpose: target.purpose,
      document: { verbs: [{ name: 'Play', attributes: {}, text: result.url, children: [] }] },
    };
  }
  if (!XML_TYPES.test(contentType)) {
    throw fail(env, call, 12300, `Invalid Content-Type "${contentType}" for TwiML from ${target.url}`);
  }
  if (/^text\/plain/i.test(contentType) && !result.body.trim().startsWith('<')) {
    // Plain text that is not TwiML is read out to the caller.
    return {
      url: target.url,
      purpose: target.purpose,
      document: { verbs: [{ name: 'Say', attributes: {}, text: result.body.trim(), children: [] }] },
    };
  }
  const document = validate(env, call, result.body, target.purpose, target.url, context);
  return { url: target.url, purpose: target.purpose, document };
}

function validate(env: SimEnv, call: SimCall, xml: string, purpose: RequestPurpose, url: string | null, context: VoiceContext, willRun = true): TwimlDocument {
  try {
    const document = parseTwiml(xml, { kind: 'voice', context });
    if (willRun) env.record(call.sid, { type: 'twiml', purpose, url, xml, verbs: document.verbs.map((v) => v.name) });
    return document;
  } catch (err) {
    if (!(err instanceof TwimlError)) throw err;
    env.record(call.sid, {
      type: 'twiml-error',
      purpose,
      url,
      code: err.code,
      message: err.message,
      problems: [...err.problems],
      xml,
    });
    throw new FetchFailure(err.code, err.message);
  }
}

/**
 * A request whose answer Twilio does not execute (an action after the caller hung up, a status callback). Any TwiML in
 * the answer is still checked, so an invalid document the application returns never goes unnoticed.
 */
export async function notify(env: SimEnv, call: SimCall, target: UrlTarget): Promise<WebhookResult> {
  const result = await env.webhook(call.sid, target.purpose, target.method, target.url, {
    ...call.params(),
    ...target.params,
  });
  if (result.status !== null && result.body.trim() && XML_TYPES.test(result.contentType ?? '')) {
    try {
      validate(env, call, result.body, target.purpose, target.url, 'call', false);
    } catch (err) {
      if (!(err instanceof FetchFailure)) throw err;
    }
  }
  return result;
}
