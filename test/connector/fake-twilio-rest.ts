import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received: path and form parameters (every value of repeated keys). */
export interface RestCall {
  method: string;
  path: string;
  params: Record<string, string>;
  multi: Record<string, string[]>;
  /** The sid the fake gave a created call. */
  sid?: string;
}

/**
 * A stand-in for Twilio's Voice REST API that records what the connector asks (Calls create/update, Queues list,
 * Queue Members update) and answers with the minimal JSON twilio-node reads. `fail` makes the next call creation
 * answer a Twilio error. Nothing rings: tests play Twilio's side with signed webhooks.
 */
export interface FakeTwilioRest {
  url: string;
  calls: RestCall[];
  /** Queues the fake lists (name → QU sid). */
  queues: Map<string, string>;
  fail: { status: number; code: number; message: string } | null;
  close(): Promise<void>;
}

export async function startFakeTwilioRest(accountSid: string): Promise<FakeTwilioRest> {
  const fake: FakeTwilioRest = { url: '', calls: [], queues: new Map(), fail: null, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const multi: Record<string, string[]> = {};
      for (const [k, v] of form) (multi[k] ??= []).push(v);
      const path = (req.url ?? '').split('?')[0]!;
      const record: RestCall = { method: req.method ?? '', path, params: Object.fromEntries(form), multi };
      fake.calls.push(record);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const base = `/2010-04-01/Accounts/${accountSid}`;
      if (req.method === 'POST' && path === `${base}/Calls.json`) {
        if (fake.fail) {
          const { status, code, message } = fake.fail;
          fake.fail = null;
          return send(status, { status, code, message, more_info: `https://www.twilio.com/docs/errors/${code}` });
        }
        record.sid = 'CA' + randomBytes(16).toString('hex');
        return send(201, { sid: record.sid, account_sid: accountSid, to: record.params.To, from: record.params.From, status: 'queued' });
      }
      if (req.method === 'POST' && /\/Calls\/CA[0-9a-f]{32}\.json$/.test(path))
        return send(200, { sid: path.split('/').pop()!.slice(0, 34), status: 'in-progress' });
      if (req.method === 'GET' && path === `${base}/Queues.json`) {
        const queues = [...fake.queues].map(([name, sid]) => ({ sid, friendly_name: name, account_sid: accountSid, current_size: 1, max_size: 100 }));
        return send(200, {
          queues,
          page: 0,
          page_size: 50,
          start: 0,
          end: queues.length,
          first_page_uri: `${base}/Queues.json?PageSize=50&Page=0`,
          next_page_uri: null,
          previous_page_uri: null,
          uri: `${base}/Queues.json`,
        });
      }
      const member = /\/Queues\/(QU[0-9a-f]{32})\/Members\/(CA[0-9a-f]{32})\.json$/.exec(path);
      if (req.method === 'POST' && member) return send(200, { call_sid: member[2], queue_sid: member[1], position: 1, wait_time: 3 });
      send(404, { status: 404, code: 20404, message: `no route ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}
