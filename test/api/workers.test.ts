import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/engine/clock.js';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('Workers and WorkerChannels', () => {
  let server: TestServer;
  const clock = new AdjustableClock();
  let wsSid: string;
  let offline: string;
  let available: string;
  const api = () => server.client.taskrouter.v1.workspaces(wsSid);
  const path = (p = '') => `/v1/Workspaces/${wsSid}${p}`;
  beforeAll(async () => {
    server = await startServer({ clock });
    wsSid = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'workers' })).sid;
    const activities = await api().activities.list();
    offline = activities.find((a) => a.friendlyName === 'Offline')!.sid;
    available = activities.find((a) => a.friendlyName === 'Available')!.sid;
  });
  afterAll(() => server.close());

  it('creates a worker in the default activity with every field', async () => {
    const w = await api().workers.create({ friendlyName: 'alice', attributes: JSON.stringify({ skills: ['sales'] }) });
    expect(w.sid).toMatch(/^WK/);
    expect(w).toMatchObject({
      friendlyName: 'alice',
      activitySid: offline,
      activityName: 'Offline',
      available: false,
      workspaceSid: wsSid,
      accountSid: server.accountSid,
    });
    expect(JSON.parse(w.attributes)).toEqual({ skills: ['sales'] });
    expect(w.dateStatusChanged).toBeInstanceOf(Date);
    expect(w.url).toBe(`${server.url}${path(`/Workers/${w.sid}`)}`);
    expect(w.links).toMatchObject({
      channels: `${server.url}${path(`/Workers/${w.sid}/Channels`)}`,
      reservations: `${server.url}${path(`/Workers/${w.sid}/Reservations`)}`,
      activity: `${server.url}${path(`/Activities/${offline}`)}`,
      workspace: `${server.url}${path()}`,
    });
  });

  it('keeps attributes byte for byte and defaults them to {}', async () => {
    const spaced = '{ "a" :  1 }';
    const w = await api().workers.create({ friendlyName: 'spacey', attributes: spaced });
    expect(w.attributes).toBe(spaced);
    expect((await api().workers.create({ friendlyName: 'plain' })).attributes).toBe('{}');
  });

  it('fetches, updates and deletes; available follows the activity', async () => {
    const w = await api().workers.create({ friendlyName: 'bob' });
    const updated = await api().workers(w.sid).update({ activitySid: available, friendlyName: 'bobby', attributes: '{"x":1}' });
    expect(updated).toMatchObject({ activitySid: available, activityName: 'Available', available: true, friendlyName: 'bobby', attributes: '{"x":1}' });
    expect((await api().workers(w.sid).fetch()).friendlyName).toBe('bobby');
    expect(await api().workers(w.sid).remove()).toBe(true);
    await expect(api().workers(w.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(api().workers(w.sid).update({ friendlyName: 'ghost' })).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('rejects malformed attributes and changes nothing', async () => {
    const w = await api().workers.create({ friendlyName: 'carol', attributes: '{"keep":true}' });
    await expect(api().workers(w.sid).update({ attributes: '{"broken":' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(api().workers(w.sid).update({ attributes: '[1,2]' })).rejects.toMatchObject({ status: 400, code: 20001 });
    const after = await api().workers(w.sid).fetch();
    expect(after.attributes).toBe('{"keep":true}');
    expect(after.dateUpdated.getTime()).toBe(w.dateUpdated.getTime());
    await expect(api().workers.create({ friendlyName: 'dave', attributes: 'nope' })).rejects.toMatchObject({ status: 400, code: 20001 });
    expect(await api().workers.list({ friendlyName: 'dave' })).toHaveLength(0);
  });

  it('rejects attributes over 4096 characters and accepts exactly 4096', async () => {
    const exactly = JSON.stringify({ pad: 'x'.repeat(4096 - 10) });
    expect(exactly.length).toBe(4096);
    await expect(api().workers.create({ friendlyName: 'max', attributes: exactly })).resolves.toBeDefined();
    const over = JSON.stringify({ pad: 'x'.repeat(4096 - 9) });
    await expect(api().workers.create({ friendlyName: 'over', attributes: over })).rejects.toMatchObject({ status: 400, code: 20001 });
  });

  it('rejects duplicate names (case-insensitive), unknown activities and bad booleans', async () => {
    await api().workers.create({ friendlyName: 'Erin' });
    await expect(api().workers.create({ friendlyName: 'erin' })).rejects.toMatchObject({ status: 400 });
    await expect(api().workers.create({ friendlyName: 'frank', activitySid: 'WA' + '0'.repeat(32) })).rejects.toMatchObject({ status: 400 });
    const w = await api().workers.create({ friendlyName: 'gina' });
    const bad = await raw(server, 'POST', path(`/Workers/${w.sid}`), { form: { RejectPendingReservations: 'perhaps' } });
    expect(bad.body).toMatchObject({ status: 400, code: 20001 });
  });

  it('serves the version as ETag and enforces If-Match (412/20412)', async () => {
    const created = await raw(server, 'POST', path('/Workers'), { form: { FriendlyName: 'etag' } });
    expect(created.status).toBe(201);
    const sid = created.body.sid as string;
    const etag = created.headers.get('etag');
    expect(etag).toBeTruthy();
    const fetched = await raw(server, 'GET', path(`/Workers/${sid}`));
    expect(fetched.headers.get('etag')).toBe(etag);

    const updated = await server.client.taskrouter.v1.workspaces(wsSid).workers(sid).update({ attributes: '{"v":2}', ifMatch: etag! });
    expect(updated.attributes).toBe('{"v":2}');
    await expect(server.client.taskrouter.v1.workspaces(wsSid).workers(sid).update({ attributes: '{"v":3}', ifMatch: etag! })).rejects.toMatchObject({
      status: 412,
      code: 20412,
    });
    const current = (await raw(server, 'GET', path(`/Workers/${sid}`))).headers.get('etag')!;
    // The bare version (as events carry it) works as well as the quoted ETag.
    const bare = current.replace(/"/g, '');
    const ok = await raw(server, 'POST', path(`/Workers/${sid}`), { form: { Attributes: '{"v":4}' }, headers: { 'If-Match': bare } });
    expect(ok.status).toBe(200);
    const stale = await raw(server, 'DELETE', path(`/Workers/${sid}`), { headers: { 'If-Match': current } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe(20412);
    const fresh = (await raw(server, 'GET', path(`/Workers/${sid}`))).headers.get('etag')!;
    expect((await raw(server, 'DELETE', path(`/Workers/${sid}`), { headers: { 'If-Match': fresh } })).status).toBe(204);
  });

  it('filters the list by activity, availability, name, expression and queue, and orders it', async () => {
    const ws = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'filters' })).sid;
    const tr = server.client.taskrouter.v1.workspaces(ws);
    const acts = await tr.activities.list();
    const on = acts.find((a) => a.friendlyName === 'Available')!;
    const sales = await tr.taskQueues.create({ friendlyName: 'Sales', targetWorkers: 'skills HAS "sales"' });
    const w1 = await tr.workers.create({ friendlyName: 'one', activitySid: on.sid, attributes: JSON.stringify({ skills: ['sales'], level: 3 }) });
    clock.advance(2000);
    const w2 = await tr.workers.create({ friendlyName: 'two', attributes: JSON.stringify({ skills: ['support'], level: 1 }) });
    const sids = (list: { sid: string }[]) => list.map((w) => w.sid);

    expect(sids(await tr.workers.list({ activitySid: on.sid }))).toEqual([w1.sid]);
    expect(sids(await tr.workers.list({ activityName: 'Offline' }))).toEqual([w2.sid]);
    expect(sids(await tr.workers.list({ available: 'true' }))).toEqual([w1.sid]);
    expect(sids(await tr.workers.list({ available: 'false' }))).toEqual([w2.sid]);
    expect(sids(await tr.workers.list({ friendlyName: 'TWO' }))).toEqual([w2.sid]);
    expect(sids(await tr.workers.list({ targetWorkersExpression: 'level > 2' }))).toEqual([w1.sid]);
    expect(sids(await tr.workers.list({ targetWorkersExpression: 'friendly_name == "two"' }))).toEqual([w2.sid]);
    expect(sids(await tr.workers.list({ taskQueueSid: sales.sid }))).toEqual([w1.sid]);
    expect(sids(await tr.workers.list({ taskQueueName: 'Sales' }))).toEqual([w1.sid]);
    expect(sids(await tr.workers.list({ taskQueueName: 'Nope' }))).toEqual([]);
    expect(sids(await tr.workers.list({ ordering: 'DateCreated:desc' }))).toEqual([w2.sid, w1.sid]);
    const bad = await raw(server, 'GET', `/v1/Workspaces/${ws}/Workers?TargetWorkersExpression=${encodeURIComponent('level >')}`);
    expect(bad.body).toMatchObject({ status: 400, code: 20001 });
  });

  it('lists, fetches and updates worker channels by WC sid, TC sid and unique name', async () => {
    const w = await api().workers.create({ friendlyName: 'chan' });
    const channels = await api().workers(w.sid).workerChannels.list();
    const res = await raw(server, 'GET', path(`/Workers/${w.sid}/Channels`));
    expect(res.body.meta.key).toBe('channels');
    const voice = channels.find((c) => c.taskChannelUniqueName === 'voice')!;
    expect(voice.sid).toMatch(/^WC[0-9a-f]{32}$/);
    expect(voice).toMatchObject({
      configuredCapacity: 1,
      available: true,
      availableCapacityPercentage: 100,
      assignedTasks: 0,
      workerSid: w.sid,
      workspaceSid: wsSid,
      accountSid: server.accountSid,
    });
    expect(voice.taskChannelSid).toMatch(/^TC/);
    expect(voice.url).toBe(`${server.url}${path(`/Workers/${w.sid}/Channels/${voice.sid}`)}`);
    expect((await api().workers(w.sid).workerChannels(voice.sid).fetch()).sid).toBe(voice.sid);
    expect((await api().workers(w.sid).workerChannels(voice.taskChannelSid).fetch()).sid).toBe(voice.sid);
    expect((await api().workers(w.sid).workerChannels('voice').fetch()).sid).toBe(voice.sid);
    const updated = await api().workers(w.sid).workerChannels('voice').update({ capacity: 3, available: false });
    expect(updated).toMatchObject({ sid: voice.sid, configuredCapacity: 3, available: false });
    expect((await api().workers(w.sid).workerChannels(voice.sid).fetch()).configuredCapacity).toBe(3);
    await expect(api().workers(w.sid).workerChannels('pigeon').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(api().workers(w.sid).workerChannels('voice').update({ capacity: 51 })).rejects.toMatchObject({ status: 400 });
    const typed = await raw(server, 'POST', path(`/Workers/${w.sid}/Channels/voice`), { form: { Capacity: 'lots' } });
    expect(typed.body).toMatchObject({ status: 400, code: 20001 });
    await expect(
      api()
        .workers('WK' + '0'.repeat(32))
        .workerChannels.list(),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});
