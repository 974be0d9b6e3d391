import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorker, configureNumber } from '../connector/flow-helpers.js';
import {
  createCallCenter,
  eventually,
  pendingReservation,
  randomCaller,
  signedWebhook,
  startConnectorServer,
  type CallCenter,
  type ConnectorServer,
} from '../connector/harness.js';
import { raw, type RawResponse } from '../helpers/http.js';
import { SIGNING_KEY, sdkToken } from '../realtime/sdk-helpers.js';

/**
 * The routes an agent's page reaches with its worker token: renewal of the token, the transfer directory, and the SMS
 * conversation of a task the worker holds. Each refuses what the token may not reach, in Twilio's error format, and
 * changes nothing then.
 */
describe("the agent desktop's routes for worker tokens", () => {
  let server: ConnectorServer;
  let center: CallCenter;
  let other: CallCenter;
  beforeAll(async () => {
    server = await startConnectorServer({ apiKeys: [SIGNING_KEY] });
    center = await createCallCenter(server);
    other = await createCallCenter(server);
  });
  afterAll(() => server.close());

  const bearer = (token: string) => ({ auth: false as const, headers: { Authorization: `Bearer ${token}` } });
  const workerToken = (workerSid: string, ttl = 600, workspaceSid = center.workspaceSid) => sdkToken(server, { workspaceSid, workerSid, role: 'worker' }, ttl);
  const twilioError = (res: RawResponse, status: number) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body).toMatchObject({
      status,
      code: expect.any(Number),
      message: expect.any(String),
      more_info: expect.stringContaining('twilio.com/docs/errors'),
    });
  };

  describe('POST /v1/Workspaces/{WS}/Tokens/Renew', () => {
    it("renews a worker token with the same grant and the presented token's lifetime", async () => {
      const worker = await addWorker(server, center, `renew-${randomBytes(2).toString('hex')}`, false);
      const res = await raw(server, 'POST', `/v1/Workspaces/${center.workspaceSid}/Tokens/Renew`, bearer(workerToken(worker.sid, 900)));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ role: 'worker', workspace_sid: center.workspaceSid, worker_sid: worker.sid, ttl: 900, identity: worker.sid });
      const claims = jwt.verify(res.body.token as string, SIGNING_KEY.secret) as jwt.JwtPayload;
      expect(claims.grants).toEqual({ identity: worker.sid, task_router: { workspace_sid: center.workspaceSid, worker_sid: worker.sid, role: 'worker' } });
      expect(claims.exp! - claims.iat!).toBe(900);
      // The renewed token works where the first did: the bridge and this route.
      const again = await raw(server, 'POST', `/v1/Workspaces/${center.workspaceSid}/Tokens/Renew`, {
        ...bearer(res.body.token as string),
        form: { Ttl: '120' },
      });
      expect(again.body).toMatchObject({ ttl: 120, worker_sid: worker.sid });
    });

    it('gives a token shorter than a minute a minute', async () => {
      const worker = await addWorker(server, center, `short-${randomBytes(2).toString('hex')}`, false);
      const res = await raw(server, 'POST', `/v1/Workspaces/${center.workspaceSid}/Tokens/Renew`, bearer(workerToken(worker.sid, 15)));
      expect(res.body).toMatchObject({ ttl: 60 });
    });

    it('refuses expired, foreign-workspace and account callers, bad Ttl, and a deleted worker', async () => {
      const worker = await addWorker(server, center, `refuse-${randomBytes(2).toString('hex')}`, false);
      const renew = (ws: string, options: Parameters<typeof raw>[3]) => raw(server, 'POST', `/v1/Workspaces/${ws}/Tokens/Renew`, options);
      const expired = jwt.sign({ ...(jwt.decode(workerToken(worker.sid)) as object), iat: 1, exp: 2 }, SIGNING_KEY.secret);
      twilioError(await renew(center.workspaceSid, bearer(expired)), 401);
      twilioError(await renew(other.workspaceSid, bearer(workerToken(worker.sid))), 403);
      twilioError(await renew(center.workspaceSid, {}), 400);
      twilioError(await renew(center.workspaceSid, { auth: false }), 401);
      twilioError(await renew(center.workspaceSid, { ...bearer(workerToken(worker.sid)), form: { Ttl: '5' } }), 400);
      await server.client.taskrouter.v1.workspaces(center.workspaceSid).workers(worker.sid).remove();
      twilioError(await renew(center.workspaceSid, bearer(workerToken(worker.sid))), 404);
    });
  });

  describe('GET /v1/Workspaces/{WS}/Directory', () => {
    it("lists the workspace's workers and queues to any of its tokens, and nothing to others", async () => {
      const ann = await addWorker(server, center, `Ann-${randomBytes(2).toString('hex')}`, true, { secret_skill: 'x' });
      const res = await raw(server, 'GET', `/v1/Workspaces/${center.workspaceSid}/Directory`, bearer(workerToken(ann.sid)));
      expect(res.status).toBe(200);
      expect(res.body.workers).toContainEqual({ sid: ann.sid, friendly_name: ann.friendlyName, activity_name: 'Ready', available: true });
      expect(res.body.task_queues).toEqual([{ sid: center.queueSid, friendly_name: 'Everyone' }]);
      expect(JSON.stringify(res.body)).not.toContain('secret_skill');
      twilioError(await raw(server, 'GET', `/v1/Workspaces/${other.workspaceSid}/Directory`, bearer(workerToken(ann.sid))), 403);
      twilioError(await raw(server, 'GET', `/v1/Workspaces/${center.workspaceSid}/Directory`, { auth: false }), 401);
    });
  });

  describe('/v1/Workspaces/{WS}/Tasks/{WT}/Conversation', () => {
    it("lets only a worker holding the task's reservation read the thread or reply, and one who completed it read it; a task without one is a 404", async () => {
      const sms = await createCallCenter(server);
      const number = await configureNumber(server, sms);
      const sid = randomBytes(2).toString('hex');
      const holder = await addWorker(server, sms, `holder-${sid}`, true);
      const customer = randomCaller();
      const params = {
        MessageSid: 'SM' + randomBytes(16).toString('hex'),
        AccountSid: server.accountSid,
        From: customer,
        To: number.number,
        Body: 'Hello?',
        NumMedia: '0',
      };
      expect((await signedWebhook(server, '/webhooks/sms', params)).status).toBe(200);
      const task = await eventually(
        async () => (await server.engine.store.list(sms.workspaceSid, 'task')).find((t) => t.attributes.includes(customer)),
        'the SMS task',
      );
      await pendingReservation(server, sms, task.sid, holder.sid);
      const outsider = await addWorker(server, sms, `outsider-${sid}`, false);
      const path = `/v1/Workspaces/${sms.workspaceSid}/Tasks/${task.sid}/Conversation`;

      const read = await raw(server, 'GET', path, bearer(workerToken(holder.sid, 600, sms.workspaceSid)));
      expect(read.status, JSON.stringify(read.body)).toBe(200);
      expect(read.body).toMatchObject({ task_sid: task.sid, customer, status: 'open', message_count: 1 });
      expect(read.body.messages.map((m: { direction: string; body: string }) => [m.direction, m.body])).toEqual([['inbound', 'Hello?']]);

      twilioError(await raw(server, 'GET', path, bearer(workerToken(outsider.sid, 600, sms.workspaceSid))), 403);
      twilioError(
        await raw(server, 'POST', `${path}/Messages`, { ...bearer(workerToken(outsider.sid, 600, sms.workspaceSid)), form: { Body: 'Not mine' } }),
        403,
      );
      twilioError(await raw(server, 'POST', `${path}/Messages`, { ...bearer(workerToken(holder.sid, 600, sms.workspaceSid)), form: { Body: '' } }), 400);
      expect((await raw(server, 'GET', path, bearer(workerToken(holder.sid, 600, sms.workspaceSid)))).body.message_count).toBe(1);

      // Once the holder has completed the task, the desk may read the thread again but not reply.
      const tasks = server.client.taskrouter.v1.workspaces(sms.workspaceSid).tasks;
      const [held] = await tasks(task.sid).reservations.list({ workerSid: holder.sid });
      await tasks(task.sid).reservations(held!.sid).update({ reservationStatus: 'accepted' });
      await tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'answered' });
      expect((await raw(server, 'GET', path, bearer(workerToken(holder.sid, 600, sms.workspaceSid)))).status).toBe(200);
      twilioError(await raw(server, 'POST', `${path}/Messages`, { ...bearer(workerToken(holder.sid, 600, sms.workspaceSid)), form: { Body: 'Late' } }), 403);

      const plain = await server.client.taskrouter.v1.workspaces(sms.workspaceSid).tasks.create({ workflowSid: sms.workflowSid, attributes: '{}' });
      twilioError(await raw(server, 'GET', `/v1/Workspaces/${sms.workspaceSid}/Tasks/${plain.sid}/Conversation`), 404);
    });
  });
});
