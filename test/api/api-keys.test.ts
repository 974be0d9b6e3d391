import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { listenOnFreePort } from '../helpers/listen.js';
import { RewritingRequestClient } from '../helpers/server-process.js';

const accountSid = 'AC' + randomBytes(16).toString('hex');
const authToken = randomBytes(16).toString('hex');
const current = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };
const retiring = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };

let url = '';
let close: () => Promise<void>;

beforeAll(async () => {
  const engine = new RoutingEngine({ store: new MemoryStore(), accountSid });
  const app = createApp({ engine, config: { accountSid, authToken, apiKeys: [current, retiring], publicUrl: () => url } });
  const listening = await listenOnFreePort(app);
  url = listening.url;
  close = listening.close;
});
afterAll(() => close());

/** The twilio client as its users write it with an API key: the key pair for auth, the account for URLs. */
function clientWith(user: string, password: string): twilio.Twilio {
  return twilio(user, password, { accountSid, httpClient: new RewritingRequestClient(new URL(url)) });
}

describe('API keys as the Basic pair', () => {
  it('lets twilio-node in with any configured API key, as with the account pair', async () => {
    const created = await clientWith(current.sid, current.secret).taskrouter.v1.workspaces.create({ friendlyName: 'Keyed' });
    const seen = await clientWith(retiring.sid, retiring.secret).taskrouter.v1.workspaces(created.sid).fetch();
    expect(seen.friendlyName).toBe('Keyed');
    expect(seen.accountSid).toBe(accountSid);
    const listed = await clientWith(accountSid, authToken).taskrouter.v1.workspaces.list();
    expect(listed.map((w) => w.sid)).toContain(created.sid);
  });

  it("refuses a key with another key's secret, an unknown key and the account sid with a key secret", async () => {
    for (const [user, password] of [
      [current.sid, retiring.secret],
      ['SK' + randomBytes(16).toString('hex'), current.secret],
      [accountSid, current.secret],
      [current.sid, authToken],
    ] as const) {
      const error = await clientWith(user, password)
        .taskrouter.v1.workspaces.list()
        .catch((err: unknown) => err);
      expect(error).toMatchObject({ status: 401, code: 20003 });
    }
  });
});
