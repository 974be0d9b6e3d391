import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type RequestHandler } from 'express';
import twilio from 'twilio';
import { listenOnFreePort } from '../helpers/listen.js';
import { startTwilioSim, type TwilioSim, type TwilioSimOptions } from './index.js';

/** A request the fixture app received, with the verdict of `twilio.validateRequest` on it. */
export interface FixtureRequest {
  method: string;
  path: string;
  /** Form body for POST, query for GET. */
  params: Record<string, string>;
  signatureValid: boolean;
}

/** A small TwiML application written in a test, validating every request's signature like a real one would. */
export interface FixtureApp {
  url: string;
  app: Express;
  received: FixtureRequest[];
  /** Requests to one path. */
  at(path: string): FixtureRequest[];
  close(): Promise<void>;
}

/**
 * Starts an express app on a free port. Every request is checked with `twilio.validateRequest` over the exact URL it
 * was sent to; requests that fail are answered 403 (and recorded), so a signing bug shows up as an HTTP error in the
 * simulator's log. `routes` adds the app's handlers.
 */
export async function startFixtureApp(authToken: string, routes: (app: Express) => void): Promise<FixtureApp> {
  const app = express();
  const received: FixtureRequest[] = [];
  let base = '';
  app.use(express.urlencoded({ extended: false }));
  app.use((req: Request, res, next) => {
    const url = base + req.originalUrl;
    const params = req.method === 'POST' ? { ...(req.body as Record<string, string>) } : {};
    const signature = req.header('X-Twilio-Signature');
    const signatureValid = signature !== undefined && twilio.validateRequest(authToken, signature, url, params);
    received.push({
      method: req.method,
      path: req.path,
      params: req.method === 'POST' ? params : Object.fromEntries(new URL(url).searchParams),
      signatureValid,
    });
    if (!signatureValid) {
      res.status(403).send('bad signature');
      return;
    }
    next();
  });
  routes(app);
  const listening = await listenOnFreePort(app);
  base = listening.url;
  return {
    url: base,
    app,
    received,
    at: (path) => received.filter((r) => r.path === path),
    close: listening.close,
  };
}

/** Fresh credentials for one test. */
export function credentials(): { accountSid: string; authToken: string } {
  return { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
}

/** A simulator and a fixture app sharing credentials. */
export async function simWithApp(
  routes: (app: Express, ctx: { sim: () => TwilioSim }) => void,
  options: Partial<TwilioSimOptions> = {},
): Promise<{ sim: TwilioSim; app: FixtureApp; close(): Promise<void> }> {
  const creds = credentials();
  let simRef: TwilioSim | undefined;
  const app = await startFixtureApp(creds.authToken, (a) => routes(a, { sim: () => simRef! }));
  const sim = await startTwilioSim({ ...creds, ...options });
  simRef = sim;
  return {
    sim,
    app,
    close: async () => {
      await sim.close();
      await app.close();
    },
  };
}

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];

/** Sends twilio-node's `api.twilio.com` requests to the simulator, as our server does with TWILIO_API_BASE_URL. */
class SimRequestClient extends twilio.RequestClient {
  constructor(private readonly target: URL) {
    super();
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const uri = new URL(opts.uri);
    uri.protocol = this.target.protocol;
    uri.host = this.target.host;
    return super.request<TData>({ ...opts, uri: uri.toString() });
  }
}

/** A real twilio-node client talking to the simulator. */
export function simClient(sim: TwilioSim, authToken = sim.authToken): twilio.Twilio {
  return twilio(sim.accountSid, authToken, { httpClient: new SimRequestClient(new URL(sim.url)) });
}

/** A handler answering with the TwiML `build` writes into a fresh VoiceResponse, given the request's form body. */
export function voiceResponse(build: (r: twilio.twiml.VoiceResponse, params: Record<string, string>) => void): RequestHandler {
  return (req, res) => {
    const r = new twilio.twiml.VoiceResponse();
    build(r, (req.body ?? {}) as Record<string, string>);
    twiml(res, r);
  };
}

/** Sends TwiML from a handler. */
export function twiml(res: { type(t: string): unknown; send(body: string): unknown }, doc: { toString(): string }): void {
  res.type('text/xml');
  res.send(doc.toString());
}
