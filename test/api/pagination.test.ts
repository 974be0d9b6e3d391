import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('Pagination', () => {
  let server: TestServer;
  let wsSid: string;
  const api = () => server.client.taskrouter.v1.workspaces(wsSid);
  const workersPath = () => `/v1/Workspaces/${wsSid}/Workers`;
  const created: string[] = [];
  beforeAll(async () => {
    server = await startServer();
    wsSid = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'paging' })).sid;
    for (let i = 0; i < 12; i++) {
      created.push((await api().workers.create({ friendlyName: `w${i}`, attributes: JSON.stringify({ n: i }) })).sid);
    }
  });
  afterAll(() => server.close());

  it('list() follows next_page_url across pages', async () => {
    const all = await api().workers.list({ pageSize: 5 });
    expect(all.map((w) => w.sid)).toEqual(created);
  });

  it('list() and each() honour limit', async () => {
    expect((await api().workers.list({ pageSize: 5, limit: 7 })).map((w) => w.sid)).toEqual(created.slice(0, 7));
    // each() returns nothing to await: it says it is done through `done`.
    const eachSid = (params: { pageSize: number; limit?: number }) =>
      new Promise<string[]>((resolve, reject) => {
        const seen: string[] = [];
        api().workers.each({ ...params, done: (err?: Error) => (err ? reject(err) : resolve(seen)) }, (w) => {
          seen.push(w.sid);
        });
      });
    expect(await eachSid({ pageSize: 4 })).toEqual(created);
    expect(await eachSid({ pageSize: 4, limit: 6 })).toEqual(created.slice(0, 6));
  });

  it('page() and nextPage() walk the list while keeping filters', async () => {
    const expression = 'n >= 3';
    const first = await api().workers.page({ pageSize: 4, targetWorkersExpression: expression });
    expect(first.instances.map((w) => w.sid)).toEqual(created.slice(3, 7));
    const second = await first.nextPage();
    expect(second!.instances.map((w) => w.sid)).toEqual(created.slice(7, 11));
    const third = await second!.nextPage();
    expect(third!.instances.map((w) => w.sid)).toEqual(created.slice(11));
    expect(third!.nextPage()).toBeUndefined();
    const back = await third!.previousPage();
    expect(back!.instances.map((w) => w.sid)).toEqual(created.slice(7, 11));
  });

  it('serves meta with absolute URLs on the public URL that keep the filters', async () => {
    const res = await raw(server, 'GET', `${workersPath()}?Available=false&PageSize=5`);
    expect(res.status).toBe(200);
    const { meta } = res.body;
    expect(meta).toMatchObject({ key: 'workers', page: 0, page_size: 5, previous_page_url: null });
    expect(res.body.workers).toHaveLength(5);
    const base = `${server.url}${workersPath()}`;
    expect(meta.first_page_url).toBe(`${base}?Available=false&PageSize=5&Page=0`);
    expect(meta.url).toBe(`${base}?Available=false&PageSize=5&Page=0`);
    expect(meta.next_page_url).toMatch(new RegExp(`^${base.replace(/[.?]/g, '\\$&')}\\?Available=false&PageSize=5&Page=1&PageToken=`));
    const second = await raw(server, 'GET', meta.next_page_url);
    expect(second.body.meta.page).toBe(1);
    expect(second.body.meta.previous_page_url).toContain('Page=0');
    expect(second.body.workers.map((w: { sid: string }) => w.sid)).toEqual(created.slice(5, 10));
    const last = await raw(server, 'GET', second.body.meta.next_page_url);
    expect(last.body.meta.next_page_url).toBeNull();
    expect(last.body.workers).toHaveLength(2);
  });

  it('defaults to 50 per page and accepts up to 1000', async () => {
    expect((await raw(server, 'GET', workersPath())).body.meta.page_size).toBe(50);
    expect((await raw(server, 'GET', `${workersPath()}?PageSize=1000`)).status).toBe(200);
  });

  it('serves a page size over 1000 as pages of 1000, as twilio-node sends list({limit}) as PageSize', async () => {
    const res = await raw(server, 'GET', `${workersPath()}?PageSize=5000`);
    expect(res.status).toBe(200);
    expect(res.body.meta.page_size).toBe(1000);
    expect((await api().workers.list({ limit: 2000 })).length).toBe(12);
  });

  it('rejects a page size below 1 and a non-integer one', async () => {
    for (const size of ['0', '-3', 'ten', '2.5']) {
      const res = await raw(server, 'GET', `${workersPath()}?PageSize=${size}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(20001);
    }
  });

  it('rejects a page token it did not issue with 400/21481', async () => {
    for (const token of ['garbage', 'PTnot-base64!', 'PT' + Buffer.from('x:1').toString('base64url')]) {
      const res = await raw(server, 'GET', `${workersPath()}?PageToken=${encodeURIComponent(token)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(21481);
    }
  });

  it('pages every list resource the same way', async () => {
    const res = await raw(server, 'GET', `/v1/Workspaces/${wsSid}/Activities?PageSize=1`);
    expect(res.body.meta.key).toBe('activities');
    expect(res.body.activities).toHaveLength(1);
    expect(res.body.meta.next_page_url).toContain('/Activities?PageSize=1&Page=1&PageToken=');
    expect((await api().activities.list({ pageSize: 1 })).length).toBe(3);
    expect((await api().taskChannels.list({ pageSize: 2 })).length).toBe(5);
  });
});
