import type { SimEnv } from '../core/env.js';
import type { EventLog, SimEvent, WaitOptions } from '../core/events.js';
import { newSid } from '../core/ids.js';
import { deferred } from '../core/scope.js';
import type { Geo, HttpMethod } from '../core/types.js';
import { parseTwiml, TwimlError, type TwimlDocument } from '../twiml/parse.js';
import { guessGeo } from '../voice/geo.js';
import { segmentsOf, type SimMessage } from './messages.js';

/** An inbound message to deliver. */
export interface InboundSmsOptions {
  from: string;
  to: string;
  body: string;
  /** The messaging webhook of the number (`To`). */
  webhookUrl: string;
  method?: HttpMethod;
  /** Attachments: `MediaUrl{N}` and `MediaContentType{N}`. */
  media?: { url: string; contentType: string }[];
  /** Extra parameters (WhatsApp's ProfileName, WaId…; a MessagingServiceSid). */
  params?: Record<string, string>;
  geo?: { from?: Geo; to?: Geo };
}

/** One inbound message and what the application did with it. */
export class SimSmsExchange {
  /** Resolves once the webhook was answered and its TwiML (replies, redirects) has run. */
  readonly finished: Promise<void>;
  /** @internal */
  readonly done = deferred<void>();

  constructor(
    /** The inbound `MessageSid`. */
    readonly sid: string,
    private readonly log: EventLog,
    private readonly env: SimEnv,
  ) {
    this.finished = this.done.promise;
  }

  /** Requests, TwiML and replies for this message. */
  get events(): readonly SimEvent[] {
    return this.log.events;
  }

  /** Messages sent in reply through `<Message>`. */
  get replies(): SimMessage[] {
    return this.env.messages.all.filter((m) => m.inReplyTo === this.sid);
  }

  waitFor<E extends SimEvent = SimEvent>(predicate: ((e: SimEvent) => e is E) | ((e: SimEvent) => boolean), options?: WaitOptions): Promise<E> {
    return this.log.waitFor<E>(predicate, options);
  }
}

function smsParams(env: SimEnv, sid: string, o: InboundSmsOptions): Record<string, string> {
  const params: Record<string, string> = {
    ToCountry: '',
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: String(o.media?.length ?? 0),
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: o.body,
    FromCountry: '',
    To: o.to,
    ToZip: '',
    NumSegments: String(segmentsOf(o.body)),
    MessageSid: sid,
    AccountSid: env.options.accountSid,
    From: o.from,
    ApiVersion: '2010-04-01',
  };
  for (const [side, address] of [
    ['From', o.from],
    ['To', o.to],
  ] as const) {
    const g = { ...guessGeo(address), ...(side === 'From' ? o.geo?.from : o.geo?.to) };
    params[`${side}City`] = g.city ?? '';
    params[`${side}State`] = g.state ?? '';
    params[`${side}Zip`] = g.zip ?? '';
    params[`${side}Country`] = g.country ?? '';
  }
  o.media?.forEach((m, i) => {
    params[`MediaContentType${i}`] = m.contentType;
    params[`MediaUrl${i}`] = m.url;
  });
  return { ...params, ...o.params };
}

const MAX_DOCUMENTS = 50;

interface SmsTarget {
  url: string;
  method: HttpMethod;
  params: Record<string, string>;
  purpose: 'sms' | 'message-action';
}

/**
 * Delivers an inbound SMS/MMS: posts the signed messaging webhook, then runs the messaging TwiML it answers with —
 * each `<Message>` becomes an outbound message (from the number that was texted to the sender unless `to`/`from` say
 * otherwise; its `statusCallback` gets delivery reports; its `action` is requested and its TwiML runs), `<Redirect>`
 * fetches the next document. An empty answer or `<Response/>` sends nothing.
 */
export function deliverInboundSms(env: SimEnv, o: InboundSmsOptions): SimSmsExchange {
  const sid = newSid(o.media?.length ? 'MM' : 'SM');
  const exchange = new SimSmsExchange(sid, env.logOf(sid), env);
  const params = smsParams(env, sid, o);
  env.messages.add({
    sid,
    from: o.from,
    to: o.to,
    body: o.body,
    mediaUrls: o.media?.map((m) => m.url) ?? [],
    direction: 'inbound',
    status: 'received',
  });

  const run = async () => {
    let target: SmsTarget | null = {
      url: o.webhookUrl,
      method: o.method ?? 'POST',
      params,
      purpose: 'sms',
    };
    for (let documents = 0; target && documents < MAX_DOCUMENTS; documents++) {
      const result = await env.webhook(sid, target.purpose, target.method, target.url, target.params);
      const current: SmsTarget = target;
      target = null;
      // A failed request is already logged as error 11200; there is nothing to run.
      if (result.status === null || result.status < 200 || result.status >= 300) return;
      // An empty answer means "no reply", which Twilio accepts for messaging.
      if (!result.body.trim()) return;
      if (!/^(text|application)\/(xml|plain)/i.test(result.contentType ?? '')) {
        env.record(sid, { type: 'error', code: 12300, message: `Invalid Content-Type "${result.contentType}"` });
        return;
      }
      let document: TwimlDocument;
      try {
        document = parseTwiml(result.body, { kind: 'messaging' });
      } catch (err) {
        if (!(err instanceof TwimlError)) throw err;
        env.record(sid, {
          type: 'twiml-error',
          purpose: current.purpose,
          url: current.url,
          code: err.code,
          message: err.message,
          problems: [...err.problems],
          xml: result.body,
        });
        return;
      }
      env.record(sid, { type: 'twiml', purpose: current.purpose, url: current.url, xml: result.body, verbs: document.verbs.map((v) => v.name) });
      for (const verb of document.verbs) {
        env.record(sid, { type: 'verb', verb: verb.name, attributes: { ...verb.attributes }, text: verb.text });
        if (verb.name === 'Redirect') {
          target = { url: new URL(verb.text, current.url).toString(), method: verb.attributes.method === 'GET' ? 'GET' : 'POST', params, purpose: 'sms' };
          break;
        }
        const a = verb.attributes;
        const body = verb.children.find((c) => c.name === 'Body')?.text ?? verb.text;
        const reply = env.messages.add({
          from: a.from ?? o.to,
          to: a.to ?? o.from,
          body,
          mediaUrls: verb.children.filter((c) => c.name === 'Media').map((c) => new URL(c.text, current.url).toString()),
          direction: 'outbound-reply',
          inReplyTo: sid,
          ...(a.statusCallback && {
            statusCallback: { url: new URL(a.statusCallback, current.url).toString(), method: 'POST' as const },
          }),
        });
        env.messages.deliver(reply);
        if (a.action) {
          target = {
            url: new URL(a.action, current.url).toString(),
            method: a.method === 'GET' ? 'GET' : 'POST',
            params: { ...params, MessageSid: reply.sid, MessageStatus: 'sent', SmsSid: reply.sid, SmsStatus: 'sent' },
            purpose: 'message-action',
          };
          break;
        }
      }
    }
  };
  env.background(
    run()
      .catch((err: unknown) => {
        env.record(sid, { type: 'error', code: 0, message: `simulator fault: ${err instanceof Error ? err.stack : String(err)}` });
      })
      .finally(() => exchange.done.resolve()),
  );
  return exchange;
}
