import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { applyConfigFile } from '../../src/connector/config-file.js';
import { menuCycleThrough } from '../../src/connector/menu-graph.js';
import { createCallCenter, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

let server: ConnectorServer;
let center: CallCenter;
let dir: string;

beforeAll(async () => {
  server = await startConnectorServer();
  center = await createCallCenter(server);
  dir = await mkdtemp(join(tmpdir(), 'connector-config-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
async function file(content: unknown): Promise<string> {
  const path = join(dir, `config-${++files}.json`);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const document = (overrides: Record<string, unknown> = {}) => ({
  ivr_menus: [
    // Listed before the menu it leads to: the file is applied in dependency order.
    {
      unique_name: 'file-main',
      prompt: 'Press 1 for sales or 2 for billing.',
      options: [
        { digits: '1', attributes: { department: 'sales' } },
        { digits: '2', attributes: { department: 'billing' }, next_menu_sid: 'file-billing' },
      ],
    },
    { unique_name: 'file-billing', prompt: 'Press 1 for invoices.', options: [{ digits: '1', attributes: { topic: 'invoice' } }] },
  ],
  phone_numbers: [{ number: '+15550002000', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid, ivr_menu_sid: 'file-main' }],
  ...overrides,
});

describe('connector configuration file', () => {
  it('is applied idempotently: numbers keyed by E.164, menus by unique name', async () => {
    const path = await file(document());
    expect(await applyConfigFile(server.connector.directory, path)).toEqual({ phoneNumbers: 1, ivrMenus: 2 });
    const first = await server.connector.directory.phoneNumber('+15550002000');
    const main = await server.connector.directory.ivrMenu('file-main');
    expect(first.ivrMenuSid).toBe(main.sid);
    expect(main.options[1]!.nextMenuSid).toBe((await server.connector.directory.ivrMenu('file-billing')).sid);

    const changed = document();
    (changed.phone_numbers[0] as Record<string, unknown>).announce_every_seconds = 20;
    await applyConfigFile(server.connector.directory, await file(changed));
    const second = await server.connector.directory.phoneNumber('+15550002000');
    expect(second.sid).toBe(first.sid);
    expect(second.announceEverySeconds).toBe(20);
    expect((await server.connector.directory.listPhoneNumbers()).filter((n) => n.number === '+15550002000')).toHaveLength(1);
    expect((await server.connector.directory.listIvrMenus()).filter((m) => m.uniqueName === 'file-main')).toHaveLength(1);
  });

  it('stops start-up with an error naming the entry and the setting', async () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{ not json', /is not valid JSON/],
      [{ phone_numbers: [], extra: 1 }, /Unknown setting extra/],
      [
        { phone_numbers: [{ number: '+15550002001', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid, hold: 1 }] },
        /Unknown setting phone_numbers\[0\]\.hold/,
      ],
      [
        { phone_numbers: [{ number: '12345', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid }] },
        /phone_numbers\[0\]\.number must be an E\.164 number/,
      ],
      [
        { phone_numbers: [{ number: '+15550002001', workspace_sid: 'WS' + 'a'.repeat(32), workflow_sid: center.workflowSid }] },
        /phone_numbers\[0\]\.workspace_sid: Workspace WSa+ does not exist/,
      ],
      [
        { phone_numbers: [{ number: '+15550002001', workspace_sid: center.workspaceSid, workflow_sid: 'WW' + 'a'.repeat(32) }] },
        /phone_numbers\[0\]\.workflow_sid: Workflow/,
      ],
      [
        { phone_numbers: [{ number: '+15550002001', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid, ivr_menu_sid: 'ghost' }] },
        /phone_numbers\[0\]\.ivr_menu_sid: IVR menu ghost does not exist/,
      ],
      [
        { phone_numbers: [{ number: '+15550002001', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid, hold_music_url: '/hold.mp3' }] },
        /phone_numbers\[0\]\.hold_music_url must be an absolute http\(s\) URL/,
      ],
      [
        {
          ivr_menus: [
            { unique_name: 'ring-a', prompt: 'a', options: [{ digits: '1', next_menu_sid: 'ring-b' }] },
            { unique_name: 'ring-b', prompt: 'b', options: [{ digits: '1', next_menu_sid: 'ring-a' }] },
          ],
        },
        /lead back to themselves \(ring-a → ring-b → ring-a\)/,
      ],
    ];
    for (const [content, message] of cases) {
      const path = await file(content);
      const error = await applyConfigFile(server.connector.directory, path).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, String(message)).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('CONNECTOR_CONFIG');
      expect((error as Error).message).toMatch(message);
    }
    expect(await server.connector.directory.findPhoneNumber('+15550002001')).toBeNull();
  });

  it('names a file it cannot read', async () => {
    await expect(applyConfigFile(server.connector.directory, join(dir, 'missing.json'))).rejects.toThrow(/CONNECTOR_CONFIG: cannot read/);
  });
});

describe('menu graph', () => {
  const menus = new Map([
    ['IMa', { uniqueName: 'a', options: [{ digits: '1', speech: [], attributes: {}, nextMenuSid: 'IMb' }] }],
    [
      'IMb',
      {
        uniqueName: 'b',
        options: [
          { digits: '1', speech: [], attributes: {}, nextMenuSid: 'IMc' },
          { digits: '2', speech: [], attributes: {}, nextMenuSid: null },
        ],
      },
    ],
    ['IMc', { uniqueName: 'c', options: [{ digits: '1', speech: [], attributes: {}, nextMenuSid: null }] }],
  ]);

  it('finds no cycle in a tree, and names the menus of one', () => {
    expect(menuCycleThrough('IMa', menus)).toBeNull();
    const looped = new Map(menus);
    looped.set('IMc', { uniqueName: 'c', options: [{ digits: '1', speech: [], attributes: {}, nextMenuSid: 'IMa' }] });
    expect(menuCycleThrough('IMa', looped)).toEqual(['a', 'b', 'c', 'a']);
    expect(menuCycleThrough('IMb', looped)).toEqual(['b', 'c', 'a', 'b']);
  });
});
