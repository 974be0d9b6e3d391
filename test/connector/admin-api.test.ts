import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { createCallCenter, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

let server: ConnectorServer;
let center: CallCenter;

beforeAll(async () => {
  server = await startConnectorServer();
  center = await createCallCenter(server);
});
afterAll(() => server.close());

async function json(method: string, path: string, body?: unknown, auth = true) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (auth) headers.Authorization = 'Basic ' + Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64');
  const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const menu = (name: string, extra: Record<string, unknown> = {}) => ({
  unique_name: name,
  prompt: 'Press 1 for sales, 2 for support.',
  input: ['dtmf', 'speech'],
  options: [
    { digits: '1', speech: ['sales'], attributes: { department: 'sales' } },
    { digits: '2', speech: ['support', 'help'], attributes: { department: 'support' } },
  ],
  ...extra,
});

describe('connector admin API', () => {
  it('requires Basic auth', async () => {
    const res = await json('GET', '/v1/Connector/PhoneNumbers', undefined, false);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(20003);
  });

  it('creates, reads, lists, updates and deletes a phone number (JSON)', async () => {
    const created = await json('POST', '/v1/Connector/PhoneNumbers', {
      number: '+15550001000',
      workspace_sid: center.workspaceSid,
      workflow_sid: center.workflowSid,
      hold_music_url: 'https://example.com/hold.mp3',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: '+15550001000',
      workspace_sid: center.workspaceSid,
      workflow_sid: center.workflowSid,
      task_channel: 'voice',
      language: 'en-US',
      announce_every_seconds: 30,
      announce_position: true,
      when_no_workers: 'queue',
      ivr_menu_sid: null,
      account_sid: server.accountSid,
    });
    expect(created.body.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(created.body.url).toBe(`${server.url}/v1/Connector/PhoneNumbers/${created.body.sid}`);

    const bySid = await json('GET', `/v1/Connector/PhoneNumbers/${created.body.sid}`);
    const byNumber = await json('GET', `/v1/Connector/PhoneNumbers/${encodeURIComponent('+15550001000')}`);
    expect(bySid.body).toEqual(created.body);
    expect(byNumber.body.sid).toBe(created.body.sid);

    const list = await json('GET', '/v1/Connector/PhoneNumbers');
    expect(list.body.meta.key).toBe('phone_numbers');
    expect(list.body.phone_numbers.map((n: { sid: string }) => n.sid)).toContain(created.body.sid);

    const updated = await json('POST', `/v1/Connector/PhoneNumbers/${created.body.sid}`, {
      when_no_workers: 'voicemail',
      max_queue_size: 5,
      hold_music_url: null,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ when_no_workers: 'voicemail', max_queue_size: 5, hold_music_url: null, number: '+15550001000' });

    expect((await json('DELETE', `/v1/Connector/PhoneNumbers/${created.body.sid}`)).status).toBe(204);
    expect((await json('GET', `/v1/Connector/PhoneNumbers/${created.body.sid}`)).body.code).toBe(20404);
  });

  it('accepts form bodies with Twilio-style names', async () => {
    const res = await raw(server, 'POST', '/v1/Connector/PhoneNumbers', {
      form: { Number: '+15550001001', WorkspaceSid: center.workspaceSid, WorkflowSid: center.workflowSid, AnnounceEverySeconds: '45', AnnounceWait: 'false' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: '+15550001001', announce_every_seconds: 45, announce_wait: false });
    const menuRes = await raw(server, 'POST', '/v1/Connector/IvrMenus', {
      form: { UniqueName: 'form-menu', Prompt: 'Say something', Input: 'dtmf', Options: JSON.stringify([{ digits: '1', attributes: { a: 1 } }]) },
    });
    expect(menuRes.status).toBe(201);
    expect(menuRes.body.options).toEqual([{ digits: '1', speech: [], attributes: { a: 1 }, next_menu_sid: null }]);
  });

  it('refuses invalid phone numbers with Twilio-format errors', async () => {
    const base = { number: '+15550001002', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, number: '555-1234' }, /E\.164/],
      [{ ...base, workspace_sid: 'WS' + '0'.repeat(32) }, /workspace_sid: Workspace WS0+ does not exist/],
      [{ ...base, workflow_sid: 'WW' + '0'.repeat(32) }, /workflow_sid: Workflow WW0+ does not exist/],
      [{ ...base, ivr_menu_sid: 'nowhere' }, /ivr_menu_sid: IVR menu nowhere does not exist/],
      [{ ...base, task_channel: 'fax' }, /task_channel/],
      [{ ...base, hold_music_url: 'ftp://example.com/x.mp3' }, /hold_music_url must be an absolute http\(s\) URL/],
      [{ ...base, when_no_workers: 'pray' }, /when_no_workers must be one of/],
      [{ ...base, colour: 'blue' }, /Unknown setting colour/],
      [{ number: '+15550001002' }, /workspace_sid is required/],
    ];
    for (const [body, message] of cases) {
      const res = await json('POST', '/v1/Connector/PhoneNumbers', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code: 20001, status: 400 });
      expect(res.body.more_info).toBe('https://www.twilio.com/docs/errors/20001');
      expect(res.body.message).toMatch(message);
    }
  });

  it('refuses a number configured twice', async () => {
    const body = { number: '+15550001003', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid };
    expect((await json('POST', '/v1/Connector/PhoneNumbers', body)).status).toBe(201);
    const again = await json('POST', '/v1/Connector/PhoneNumbers', body);
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/already configured/);
  });

  it('manages nested IVR menus by sid or unique name, and refuses cycles and dangling references', async () => {
    const billing = await json(
      'POST',
      '/v1/Connector/IvrMenus',
      menu('billing', { options: [{ digits: '1', attributes: { topic: 'invoice' } }], input: ['dtmf'] }),
    );
    expect(billing.status).toBe(201);
    expect(billing.body.sid).toMatch(/^IM[0-9a-f]{32}$/);
    const main = await json(
      'POST',
      '/v1/Connector/IvrMenus',
      menu('main', {
        options: [
          { digits: '1', speech: ['sales'], attributes: { department: 'sales' } },
          { digits: '2', speech: ['billing'], attributes: { department: 'billing' }, next_menu_sid: 'billing' },
        ],
      }),
    );
    expect(main.status).toBe(201);
    expect(main.body.options[1].next_menu_sid).toBe(billing.body.sid);

    const cycle = await json('POST', '/v1/Connector/IvrMenus/billing', { options: [{ digits: '9', attributes: {}, next_menu_sid: 'main' }] });
    expect(cycle.status).toBe(400);
    expect(cycle.body.message).toMatch(/billing → main → billing/);
    const self = await json('POST', '/v1/Connector/IvrMenus', menu('loop', { options: [{ digits: '1', next_menu_sid: 'loop' }] }));
    expect(self.status).toBe(400);

    const dangling = await json('POST', '/v1/Connector/IvrMenus', menu('dangling', { options: [{ digits: '1', next_menu_sid: 'nowhere' }] }));
    expect(dangling.body.message).toMatch(/options\[0\]\.next_menu_sid: IVR menu nowhere does not exist/);

    const inUse = await json('DELETE', `/v1/Connector/IvrMenus/${billing.body.sid}`);
    expect(inUse.status).toBe(400);
    expect(inUse.body.message).toMatch(/reached from menu main/);

    const number = await json('POST', '/v1/Connector/PhoneNumbers', {
      number: '+15550001004',
      workspace_sid: center.workspaceSid,
      workflow_sid: center.workflowSid,
      ivr_menu_sid: 'main',
    });
    expect(number.body.ivr_menu_sid).toBe(main.body.sid);
    expect((await json('DELETE', '/v1/Connector/IvrMenus/main')).body.message).toMatch(/menu of phone number \+15550001004/);

    const list = await json('GET', '/v1/Connector/IvrMenus');
    expect(list.body.meta.key).toBe('ivr_menus');
    expect(list.body.ivr_menus.map((m: { unique_name: string }) => m.unique_name)).toEqual(expect.arrayContaining(['billing', 'main']));
  });

  it('refuses invalid menus', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ unique_name: 'x', options: [{ digits: '1' }] }, /prompt or play_url is required/],
      [menu('x', { options: [] }), /at least one option/],
      [menu('x', { input: ['touch'] }), /input must be dtmf, speech, or both/],
      [menu('x', { options: [{ digits: '1a' }] }), /keypad keys/],
      [menu('x', { options: [{ digits: '1' }, { digits: '1' }] }), /already used/],
      [menu('x', { input: ['dtmf'], options: [{ speech: ['hi'] }] }), /needs speech/],
      [menu('x', { play_url: 'not a url' }), /play_url must be an absolute http\(s\) URL/],
      [menu('x', { options: [{ digits: '1', attributes: [1] }] }), /attributes must be a JSON object/],
      [menu('x', { options: [{ digits: '1', colour: 'red' }] }), /Unknown setting options\[0\]\.colour/],
      [menu('x', { num_digits: 0 }), /num_digits must be an integer between 1 and 20/],
    ];
    for (const [body, message] of cases) {
      const res = await json('POST', '/v1/Connector/IvrMenus', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe(20001);
      expect(res.body.message).toMatch(message);
    }
  });
});
