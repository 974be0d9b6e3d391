import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { createCallCenter, startConnectorServer, type ConnectorServer } from './harness.js';

const keySid = 'SK' + randomBytes(16).toString('hex');
const keySecret = randomBytes(16).toString('hex');
const appSid = 'AP' + randomBytes(16).toString('hex');

let server: ConnectorServer;
let unconfigured: ConnectorServer;

beforeAll(async () => {
  server = await startConnectorServer({ tokens: { apiKeySid: keySid, apiKeySecret: keySecret, twimlAppSid: appSid } });
  unconfigured = await startConnectorServer();
});
afterAll(async () => {
  await server.close();
  await unconfigured.close();
});

/** The JWT's header and payload, after checking its HS256 signature with `secret`. */
function verify(jwt: string, secret: string): { header: any; payload: any } {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  expect(signature).toBe(expected);
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: decode(header), payload: decode(payload) };
}

describe('Voice SDK tokens', () => {
  it('issues an AccessToken with a VoiceGrant for an identity, signed with the API key secret', async () => {
    const res = await raw(server, 'POST', '/v1/Connector/Tokens', { form: { Identity: 'alice', Ttl: '600' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ identity: 'alice', ttl: 600 });
    const { header, payload } = verify(res.body.token, keySecret);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload).toMatchObject({
      iss: keySid,
      sub: server.accountSid,
      grants: { identity: 'alice', voice: { incoming: { allow: true }, outgoing: { application_sid: appSid } } },
    });
    expect(payload.exp - payload.iat).toBe(600);
  });

  it("takes the identity from a worker's client: contact_uri", async () => {
    const center = await createCallCenter(server);
    const workers = server.client.taskrouter.v1.workspaces(center.workspaceSid).workers;
    const bob = await workers.create({ friendlyName: 'Bob', attributes: JSON.stringify({ contact_uri: 'client:bob' }) });
    const phone = await workers.create({ friendlyName: 'Pat', attributes: JSON.stringify({ contact_uri: '+15550003000' }) });
    const res = await raw(server, 'POST', '/v1/Connector/Tokens', { form: { WorkspaceSid: center.workspaceSid, WorkerSid: bob.sid } });
    expect(res.status).toBe(201);
    expect(verify(res.body.token, keySecret).payload.grants.identity).toBe('bob');
    const refused = await raw(server, 'POST', '/v1/Connector/Tokens', { form: { WorkspaceSid: center.workspaceSid, WorkerSid: phone.sid } });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(20001);
    const missing = await raw(server, 'POST', '/v1/Connector/Tokens', { form: { WorkspaceSid: center.workspaceSid, WorkerSid: 'WK' + '0'.repeat(32) } });
    expect(missing.status).toBe(404);
  });

  it('refuses bad requests, unauthenticated callers, and servers without an API key', async () => {
    expect((await raw(server, 'POST', '/v1/Connector/Tokens', { form: {} })).body.code).toBe(20001);
    expect((await raw(server, 'POST', '/v1/Connector/Tokens', { form: { Identity: 'has space' } })).status).toBe(400);
    expect((await raw(server, 'POST', '/v1/Connector/Tokens', { form: { Identity: 'alice', Ttl: '5' } })).status).toBe(400);
    expect((await raw(server, 'POST', '/v1/Connector/Tokens', { form: { Identity: 'alice' }, auth: false })).status).toBe(401);
    const off = await raw(unconfigured, 'POST', '/v1/Connector/Tokens', { form: { Identity: 'alice' } });
    expect(off.status).toBe(501);
    expect(off.body.message).toMatch(/TWILIO_API_KEY_SID/);
  });
});
