import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('Activities and TaskChannels', () => {
  let server: TestServer;
  let wsSid: string;
  const api = () => server.client.taskrouter.v1.workspaces(wsSid);
  beforeAll(async () => {
    server = await startServer();
    wsSid = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'ac' })).sid;
  });
  afterAll(() => server.close());

  it('creates, fetches, updates, lists and deletes an activity', async () => {
    const created = await api().activities.create({ friendlyName: 'Lunch', available: false });
    expect(created.sid).toMatch(/^WA/);
    expect(created).toMatchObject({ friendlyName: 'Lunch', available: false, workspaceSid: wsSid, accountSid: server.accountSid });
    expect(created.url).toBe(`${server.url}/v1/Workspaces/${wsSid}/Activities/${created.sid}`);
    expect(created.links).toMatchObject({ workspace: `${server.url}/v1/Workspaces/${wsSid}` });
    expect((await api().activities(created.sid).fetch()).friendlyName).toBe('Lunch');
    expect((await api().activities(created.sid).update({ friendlyName: 'Break' })).friendlyName).toBe('Break');
    expect(await api().activities(created.sid).remove()).toBe(true);
    await expect(api().activities(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('filters activities by FriendlyName and Available', async () => {
    await api().activities.create({ friendlyName: 'Training', available: true });
    const available = await api().activities.list({ available: 'true' });
    expect(available.every((a) => a.available)).toBe(true);
    expect(available.map((a) => a.friendlyName)).toContain('Training');
    const unavailable = await api().activities.list({ available: 'false' });
    expect(unavailable.every((a) => !a.available)).toBe(true);
    expect((await api().activities.list({ friendlyName: 'Training' })).map((a) => a.friendlyName)).toEqual(['Training']);
    const yes = await raw(server, 'GET', `/v1/Workspaces/${wsSid}/Activities?Available=yes`);
    expect(yes.body.activities.every((a: { available: boolean }) => a.available)).toBe(true);
  });

  it('rejects a duplicate activity name, a bad boolean and an unknown sid', async () => {
    await api().activities.create({ friendlyName: 'Dup' });
    await expect(api().activities.create({ friendlyName: 'Dup' })).rejects.toMatchObject({ status: 400 });
    const bad = await raw(server, 'POST', `/v1/Workspaces/${wsSid}/Activities`, { form: { FriendlyName: 'B', Available: 'sometimes' } });
    expect(bad.body).toMatchObject({ status: 400, code: 20001 });
    await expect(
      api()
        .activities('WA' + '0'.repeat(32))
        .update({ friendlyName: 'x' }),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(
      api()
        .activities('WA' + '0'.repeat(32))
        .remove(),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('lists the built-in task channels under the key "channels"', async () => {
    const res = await raw(server, 'GET', `/v1/Workspaces/${wsSid}/TaskChannels`);
    expect(res.body.meta.key).toBe('channels');
    const names = (await api().taskChannels.list()).map((c) => c.uniqueName);
    expect(names).toEqual(expect.arrayContaining(['default', 'voice', 'sms', 'chat', 'video']));
  });

  it('creates, fetches by sid and by unique name, updates and deletes a task channel', async () => {
    const created = await api().taskChannels.create({ friendlyName: 'Email', uniqueName: 'email', channelOptimizedRouting: true });
    expect(created.sid).toMatch(/^TC/);
    expect(created).toMatchObject({ uniqueName: 'email', friendlyName: 'Email', channelOptimizedRouting: true, workspaceSid: wsSid });
    expect(created.url).toBe(`${server.url}/v1/Workspaces/${wsSid}/TaskChannels/${created.sid}`);
    expect((await api().taskChannels('email').fetch()).sid).toBe(created.sid);
    expect((await api().taskChannels(created.sid).fetch()).uniqueName).toBe('email');
    const updated = await api().taskChannels('email').update({ friendlyName: 'E-mail', channelOptimizedRouting: false });
    expect(updated).toMatchObject({ friendlyName: 'E-mail', channelOptimizedRouting: false });
    expect(await api().taskChannels('email').remove()).toBe(true);
    await expect(api().taskChannels('email').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('rejects a duplicate or hyphenated unique name', async () => {
    await expect(api().taskChannels.create({ friendlyName: 'V', uniqueName: 'voice' })).rejects.toMatchObject({ status: 400 });
    await expect(api().taskChannels.create({ friendlyName: 'W', uniqueName: 'web-chat' })).rejects.toMatchObject({ status: 400, code: 20001 });
  });
});
