import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';

let dir: string;
const env = { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'connector-startup-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('server start-up with CONNECTOR_CONFIG', () => {
  it('applies the file before serving', async () => {
    const path = join(dir, 'good.json');
    await writeFile(
      path,
      JSON.stringify({ ivr_menus: [{ unique_name: 'welcome', prompt: 'Hello.', options: [{ digits: '1', attributes: { lang: 'en' } }] }] }),
    );
    const server = await startServerProcess({ ...env, CONNECTOR_CONFIG: path });
    try {
      const res = await fetch(`${server.url}/v1/Connector/IvrMenus/welcome`, {
        headers: { Authorization: 'Basic ' + Buffer.from(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`).toString('base64') },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ unique_name: 'welcome', options: [{ digits: '1', attributes: { lang: 'en' } }] });
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on an invalid file, naming the problem', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ ivr_menus: [{ unique_name: 'x', prompt: 'Hi.', options: [{ digits: '1' }], colour: 'red' }] }));
    await expect(startServerProcess({ ...env, CONNECTOR_CONFIG: path })).rejects.toThrow(/Configuration error: CONNECTOR_CONFIG .*ivr_menus\[0\]\.colour/);
  });
});
