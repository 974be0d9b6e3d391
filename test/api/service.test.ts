import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { captureLogs } from '../helpers/log-capture.js';

/** A store that stops answering, as a store whose backend went away would. */
class UnreachableStore extends MemoryStore {
  override nextTimerDue(): Promise<number | null> {
    return Promise.reject(new Error('connection refused'));
  }
}

/** A store whose reads fail unexpectedly, to see what a client is told about an internal error. */
class BrokenStore extends MemoryStore {
  override list(): Promise<never> {
    return Promise.reject(new Error('internal detail: disk on fire'));
  }
}

describe('service endpoints and authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('answers liveness and readiness without credentials', async () => {
    expect((await raw(server, 'GET', '/healthz', { auth: false })).status).toBe(200);
    const ready = await raw(server, 'GET', '/readyz', { auth: false });
    expect(ready.status).toBe(200);
  });

  it('reports not ready when the store does not answer', async () => {
    const down = await startServer({ store: new UnreachableStore() });
    try {
      expect((await raw(down, 'GET', '/readyz', { auth: false })).status).toBe(503);
      expect((await raw(down, 'GET', '/healthz', { auth: false })).status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('refuses requests without credentials with 401/20003 and a Basic challenge', async () => {
    const res = await raw(server, 'GET', '/v1/Workspaces', { auth: false });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 20003, status: 401 });
    expect(res.body.more_info).toMatch(/20003/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('refuses a wrong token and a wrong account sid', async () => {
    const wrongToken = await raw(server, 'GET', '/v1/Workspaces', { auth: [server.accountSid, 'nope'] });
    expect(wrongToken.status).toBe(401);
    expect(wrongToken.body.code).toBe(20003);
    const wrongSid = await raw(server, 'GET', '/v1/Workspaces', { auth: ['AC' + '0'.repeat(32), server.authToken] });
    expect(wrongSid.status).toBe(401);
  });

  it('refuses a malformed Authorization header', async () => {
    const res = await raw(server, 'GET', '/v1/Workspaces', { auth: false, headers: { Authorization: 'Bearer abc' } });
    expect(res.status).toBe(401);
  });

  it('surfaces 401 through the twilio client', async () => {
    const twilio = (await import('twilio')).default;
    const bad = twilio(server.accountSid, 'wrong', { httpClient: (server.client as any).httpClient });
    await expect(bad.taskrouter.v1.workspaces.list()).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('answers unknown routes with a Twilio 404 body in JSON', async () => {
    const res = await raw(server, 'GET', '/v1/Nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ code: 20404, status: 404 });
    expect((await raw(server, 'GET', '/nothing-here', { auth: false })).body.code).toBe(20404);
  });

  it('answers an unexpected failure with 500/20500 and no internal detail', async () => {
    const broken = await startServer({ store: new BrokenStore() });
    const logs = captureLogs('error');
    try {
      const res = await raw(broken, 'GET', '/v1/Workspaces');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 20500, status: 500 });
      expect(JSON.stringify(res.body)).not.toMatch(/disk on fire|at .*\.ts/);
      // The details stay in the log, under the request's id.
      const failure = logs.lines.find((line) => line.msg === 'unhandled API error');
      expect(failure).toMatchObject({ err: { message: expect.stringContaining('disk on fire') } });
      expect(failure!.request_id).toBe(res.headers.get('x-request-id'));
    } finally {
      logs.restore();
      await broken.close();
    }
  });

  it('rejects a nested form parameter where a string is expected', async () => {
    const res = await raw(server, 'POST', '/v1/Workspaces', { form: { 'FriendlyName[a]': 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(20001);
  });

  it('answers JSON without express fingerprints or body-hash ETags', async () => {
    const res = await raw(server, 'GET', '/v1/Workspaces');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('etag')).toBeNull();
  });
});
