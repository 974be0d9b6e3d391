import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRedisEnv, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { removeKeys, testRedisUrl } from '../store/redis-test-server.js';
import { everythingSent, exchange, formRequest, resetDuring, upgradeRequest, type RawExchange } from './raw-http.js';

/**
 * Requests of any shape against a real server process, on both stores: request targets in absolute form or
 * unparsable, on WebSocket upgrades and on signed webhooks, and refused upgrades whose client resets the connection
 * while being refused. None may end the process or answer 500; every refusal is a 4xx in Twilio's error format.
 */
const prefix = `sbtest:sockets:${randomBytes(4).toString('hex')}:`;
const stores = {
  memory: () => ({ TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') }),
  redis: () => sharedRedisEnv(testRedisUrl(), prefix),
};

afterAll(() => removeKeys(prefix));

/** Twilio's error body with the given status. */
function twilioError(status: number) {
  return { code: expect.any(Number), message: expect.any(String), more_info: expect.stringMatching(/^https:\/\/www\.twilio\.com\/docs\/errors\/\d+$/), status };
}

function expectRefused(response: RawExchange, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).toEqual(twilioError(status));
}

describe.each(Object.keys(stores) as Array<keyof typeof stores>)('a server process on the %s store', (store) => {
  let server: ServerProcess;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    env = stores[store]();
    server = await startServerProcess(env);
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.stop());

  /** The process still runs and answers. */
  async function expectAlive(): Promise<void> {
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  }

  const basic = (password: string) => 'Basic ' + Buffer.from(`${env.TWILIO_ACCOUNT_SID}:${password}`).toString('base64');
  /** What Twilio signs a stream upgrade over: the media URL (PUBLIC_URL as ws://) and the path. */
  const streamSignature = (path: string) => twilio.getExpectedTwilioSignature(env.TWILIO_AUTH_TOKEN!, `ws://localhost:${port}${path}`, {});

  it('refuses upgrades whose target is invalid with a 400, and routes a valid absolute-form target by its path', async () => {
    expectRefused(await exchange(port, upgradeRequest('http://x:99999/')), 400);
    expectRefused(await exchange(port, upgradeRequest('http://x:99999/webhooks/media', { 'X-Twilio-Signature': 'c2lnbmF0dXJl' })), 400);
    expectRefused(
      await exchange(port, upgradeRequest('http://x:99999/webhooks/media?a=1', { 'X-Twilio-Signature': streamSignature('/webhooks/media?a=1') })),
      400,
    );
    for (const garbage of ['*', 'http://', 'http://[zz]/webhooks/media', 'ftp://127.0.0.1/webhooks/media']) {
      expectRefused(await exchange(port, upgradeRequest(garbage)), 400);
    }
    // A handshake the WebSocket library cannot complete is refused in the same format.
    const post = upgradeRequest('/v1/Connector/AgentAudio?Identity=ann', { Authorization: basic(env.TWILIO_AUTH_TOKEN!) }).replace(/^GET /, 'POST ');
    expectRefused(await exchange(port, post), 405);
    expectRefused(
      await exchange(
        port,
        upgradeRequest('/v1/Connector/AgentAudio?Identity=ann', { Authorization: basic(env.TWILIO_AUTH_TOKEN!), 'Sec-WebSocket-Key': 'short' }),
      ),
      400,
    );
    // Origin form beginning with two slashes is a path, not an authority.
    expectRefused(await exchange(port, upgradeRequest('//127.0.0.1/nowhere')), 404);
    expectRefused(await exchange(port, upgradeRequest('/nowhere')), 404);

    // An absolute-form target contributes its path and query only: the signature is checked over the media URL.
    const forged = await exchange(
      port,
      upgradeRequest(`http://127.0.0.1:9/webhooks/media`, {
        'X-Twilio-Signature': twilio.getExpectedTwilioSignature(env.TWILIO_AUTH_TOKEN!, 'ws://127.0.0.1:9/webhooks/media', {}),
      }),
    );
    expectRefused(forged, 403);
    const signed = await exchange(
      port,
      upgradeRequest(`http://127.0.0.1:9/webhooks/media?a=1`, { 'X-Twilio-Signature': streamSignature('/webhooks/media?a=1') }),
    );
    expect(signed.status).toBe(101);
    await expectAlive();
  });

  it('checks a signed webhook with an absolute-form target over its path and query, and never answers 500', async () => {
    const call = {
      CallSid: 'CA' + 'c'.repeat(32),
      AccountSid: env.TWILIO_ACCOUNT_SID!,
      From: '+15550009999',
      To: '+15550004000',
      CallStatus: 'ringing',
      Direction: 'inbound',
    };
    const signature = (path: string) => twilio.getExpectedTwilioSignature(env.TWILIO_AUTH_TOKEN!, `http://localhost:${port}${path}`, call);

    const invalid = await exchange(port, formRequest('http://x:99999/webhooks/voice', call, { 'X-Twilio-Signature': signature('/webhooks/voice') }));
    expectRefused(invalid, 400);
    const forged = await exchange(port, formRequest('http://127.0.0.1:9/webhooks/voice', call, { 'X-Twilio-Signature': 'c2lnbmF0dXJl' }));
    expectRefused(forged, 403);
    const signed = await exchange(port, formRequest('http://127.0.0.1:9/webhooks/voice?x=1', call, { 'X-Twilio-Signature': signature('/webhooks/voice?x=1') }));
    expect(signed.status).toBe(200);
    expect(signed.headers['content-type']).toMatch(/^text\/xml/);
    await expectAlive();
  });

  it('survives clients that reset the connection while their upgrade is refused, and refuses each in Twilio format', async () => {
    const refusals: Array<[string, number]> = [
      [upgradeRequest('/nowhere'), 404],
      [upgradeRequest('/v1/wschannels?token=x'), 401],
      [upgradeRequest(`/v1/Connector/Listen?TaskSid=WT${'a'.repeat(32)}`, { Authorization: basic('wrong') }), 401],
      [upgradeRequest('/v1/Connector/AgentAudio?Identity=ann', { 'Sec-WebSocket-Version': '99', Authorization: basic(env.TWILIO_AUTH_TOKEN!) }), 400],
      [upgradeRequest('http://x:99999/'), 400],
    ];
    for (let round = 0; round < 30; round++) {
      const answers = await Promise.all(refusals.flatMap(([request]) => [resetDuring(port, request, 'sent'), resetDuring(port, request, 'answering')]));
      for (const statusLine of answers) if (statusLine !== null) expect(statusLine).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(server.child.exitCode).toBeNull();
    }
    await expectAlive();
    for (const [request, status] of refusals) expectRefused(await exchange(port, request), status);
  });

  it('answers requests the HTTP parser refuses in Twilio format too', async () => {
    expectRefused(await exchange(port, 'GET /a b c HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400);
    expectRefused(await exchange(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header line\r\n\r\n'), 400);
    expectRefused(await exchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431);
    // Targets express cannot route (it would answer an HTML page), and a request without the Host HTTP/1.1 requires.
    expectRefused(await exchange(port, 'GET http://[::1/v1/Workspaces HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400);
    expectRefused(await exchange(port, 'GET http://@/webhooks/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400);
    expectRefused(await exchange(port, 'GET /healthz HTTP/1.1\r\n\r\n'), 400);
    // An answer to HEAD announces its length but carries no body, which a client would read as the next answer.
    const head = await everythingSent(port, `HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(head).toMatch(/^HTTP\/1\.1 431 .*\r\nContent-Length: \d+\r\n\r\n$/s);
    await expectAlive();
  });
});
