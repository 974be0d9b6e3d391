import type { SimEnv } from '../core/env.js';
import { newSid } from '../core/ids.js';
import type { HttpMethod } from '../core/types.js';

/** A message as the Messages resource describes it. */
export interface SimMessage {
  sid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  /** `queued`, `sent`, `delivered`… for outbound; `received` for inbound. */
  status: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-reply';
  /** Simulated epoch ms. */
  dateCreated: number;
  dateUpdated: number;
  dateSent: number | null;
  numSegments: number;
  statusCallback?: { url: string; method: HttpMethod };
  /** The inbound message a `<Message>` reply answers. */
  inReplyTo?: string;
}

/** Segments Twilio bills for a body: one up to 160 GSM characters, then 153 per concatenated part. */
export function segmentsOf(body: string): number {
  if (body.length <= 160) return 1;
  return Math.ceil(body.length / 153);
}

function rawDlrDoneDate(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

/** Every message the account sent or received. */
export class MessageStore {
  readonly all: SimMessage[] = [];

  constructor(private readonly env: SimEnv) {}

  get(sid: string): SimMessage | undefined {
    return this.all.find((m) => m.sid === sid);
  }

  /** Outbound messages (REST and TwiML replies). */
  get outbound(): SimMessage[] {
    return this.all.filter((m) => m.direction !== 'inbound');
  }

  add(
    init: Omit<SimMessage, 'sid' | 'dateCreated' | 'dateUpdated' | 'dateSent' | 'numSegments' | 'status'> & {
      sid?: string;
      status?: string;
    },
  ): SimMessage {
    const now = this.env.clock.now();
    const message: SimMessage = {
      ...init,
      sid: init.sid ?? newSid(init.mediaUrls.length ? 'MM' : 'SM'),
      status: init.status ?? 'queued',
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      numSegments: segmentsOf(init.body),
    };
    this.all.push(message);
    if (message.direction !== 'inbound') {
      this.env.record(message.inReplyTo ?? message.sid, {
        type: 'message',
        messageSid: message.sid,
        from: message.from,
        to: message.to,
        body: message.body,
        mediaUrls: message.mediaUrls,
      });
    }
    return message;
  }

  /**
   * Walks an outbound message through the configured delivery states, reporting each to its StatusCallback (one
   * after another, in order).
   */
  deliver(message: SimMessage): void {
    const env = this.env;
    const run = async () => {
      for (const status of env.options.messageStatusProgression) {
        message.status = status;
        message.dateUpdated = env.clock.now();
        if (status === 'sent' || status === 'delivered') message.dateSent ??= env.clock.now();
        const cb = message.statusCallback;
        if (!cb) continue;
        const params: Record<string, string> = {
          AccountSid: env.options.accountSid,
          ApiVersion: '2010-04-01',
          From: message.from,
          To: message.to,
          MessageSid: message.sid,
          MessageStatus: status,
          SmsSid: message.sid,
          SmsStatus: status,
        };
        if (status === 'delivered' || status === 'undelivered') params.RawDlrDoneDate = rawDlrDoneDate(env.clock.now());
        if (status === 'failed' || status === 'undelivered') params.ErrorCode = '30003';
        await env.webhook(message.inReplyTo ?? message.sid, 'message-status-callback', cb.method, cb.url, params);
      }
    };
    env.background(run());
  }
}
