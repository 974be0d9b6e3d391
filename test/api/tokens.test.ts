import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTaskRouterToken } from '../../src/access/taskrouter-token.js';
import { createApp } from '../../src/api/app.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { listenOnFreePort } from '../helpers/listen.js';
import { RewritingRequestClient } from '../helpers/server-process.js';

const accountSid = 'AC' + randomBytes(16).toString('hex');
const authToken = randomBytes(16).toString('hex');
const signing = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };

interface Server {
  url: string;
  close: () => Promise<void>;
}
const servers: Server[] = [];

async function serve(apiKeys: Array<{ sid: string; secret: string }>): Promise<Server> {
  const engine = new RoutingEngine({ store: new MemoryStore(), accountSid });
  const server: Server = { url: '', close: async () => {} };
  const app = createApp({ engine, config: { accountSid, authToken, apiKeys, publicUrl: () => server.url } });
  Object.assign(server, await listenOnFreePort(app));
  servers.push(server);
  return server;
}

let server: Server;
let client: twilio.Twilio;
let ws: string;
let wk: string;

beforeAll(async () => {
  server = await serve([signing]);
  client = twilio(accountSid, authToken, { httpClient: new RewritingRequestClient(new URL(server.url)) });
  ws = (await client.taskrouter.v1.workspaces.create({ friendlyName: 'Tokens' })).sid;
  wk = (await client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'alice' })).sid;
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

function mint(base: string, workspace: string, params: Record<string, string>, auth = `${accountSid}:${authToken}`): Promise<Response> {
  return fetch(`${base}/v1/Workspaces/${workspace}/Tokens`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
}

describe('POST /v1/Workspaces/{WS}/Tokens', () => {
  it("mints a worker's token for the SDK, signed with the configured key", async () => {
    const res = await mint(server.url, ws, { WorkerSid: wk, Ttl: '900' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; identity: string; ttl: number; role: string; worker_sid: string };
    expect(body).toMatchObject({ identity: wk, ttl: 900, role: 'worker', worker_sid: wk, workspace_sid: ws });
    expect(verifyTaskRouterToken(body.token, [signing], accountSid, Date.now())).toMatchObject({ workspaceSid: ws, workerSid: wk, role: 'worker' });
  });

  it('mints an admin token for the Supervisor and Workspace classes', async () => {
    const res = await mint(server.url, ws, { Role: 'admin', Identity: 'supervisor.sam' });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect(verifyTaskRouterToken(token, [signing], accountSid, Date.now())).toMatchObject({ identity: 'supervisor.sam', workerSid: null, role: 'admin' });
  });

  it('refuses bad requests in Twilio format', async () => {
    const cases: Array<[string, Record<string, string>, number, number]> = [
      [ws, {}, 400, 20001],
      [ws, { Role: 'owner' }, 400, 20001],
      [ws, { Role: 'worker' }, 400, 20001],
      [ws, { WorkerSid: wk, Ttl: '5' }, 400, 20001],
      [ws, { WorkerSid: wk, Identity: 'has space' }, 400, 20001],
      [ws, { WorkerSid: 'WK' + randomBytes(16).toString('hex') }, 404, 20404],
      [ws, { WorkerSid: 'nonsense' }, 404, 20404],
      ['WS' + randomBytes(16).toString('hex'), { Role: 'admin' }, 404, 20404],
    ];
    for (const [workspace, params, status, code] of cases) {
      const res = await mint(server.url, workspace, params);
      expect(res.status, JSON.stringify(params)).toBe(status);
      expect(await res.json()).toMatchObject({ code, status, more_info: expect.stringContaining(String(code)) });
    }
  });

  it('lets only the API credentials mint', async () => {
    const res = await mint(server.url, ws, { WorkerSid: wk }, `${accountSid}:wrong`);
    expect(res.status).toBe(401);
    const withKey = await mint(server.url, ws, { WorkerSid: wk }, `${signing.sid}:${signing.secret}`);
    expect(withKey.status).toBe(201);
  });

  it('answers 501 when no API key is configured to sign with', async () => {
    const bare = await serve([]);
    const bareClient = twilio(accountSid, authToken, { httpClient: new RewritingRequestClient(new URL(bare.url)) });
    const workspace = (await bareClient.taskrouter.v1.workspaces.create({ friendlyName: 'Unsigned' })).sid;
    const res = await mint(bare.url, workspace, { Role: 'admin' });
    expect(res.status).toBe(501);
    expect(await res.json()).toMatchObject({ code: 20001, status: 501 });
  });
});
