import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';

describe('a .env file in the working directory', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("supplies the settings the environment does not set, and the environment's own values win", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-env-'));
    dirs.push(dir);
    const accountSid = 'AC' + randomBytes(16).toString('hex');
    const authToken = randomBytes(16).toString('hex');
    // PORT here would not parse: the environment's PORT=0 must be the one used.
    await writeFile(join(dir, '.env'), `# comments are fine\nTWILIO_ACCOUNT_SID=${accountSid}\nTWILIO_AUTH_TOKEN="${authToken}"\nPORT=not-a-port\n`);
    const fromFile = await startServerProcess({ TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined }, { cwd: dir });
    try {
      const res = await fetch(`${fromFile.url}/v1/Workspaces`, {
        headers: { Authorization: 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64') },
      });
      expect(res.status).toBe(200);
      const wrong = await fetch(`${fromFile.url}/v1/Workspaces`, {
        headers: { Authorization: 'Basic ' + Buffer.from(`${accountSid}:nope`).toString('base64') },
      });
      expect(wrong.status).toBe(401);
    } finally {
      await fromFile.stop();
    }
  });
});
