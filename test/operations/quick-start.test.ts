import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deploymentCredentials, startServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe("README's quick start", () => {
  it('starts with the example support line, and the example script routes a Spanish caller to Spanish support and an English one to English support', async () => {
    const env = deploymentCredentials();
    const server = await startServerProcess({ ...env, SWITCHBOARD_CONFIG: 'examples/support-line.yaml' });
    try {
      const script = (language: string) =>
        run(process.execPath, ['examples/first-task.mjs', language], { cwd: ROOT, env: { ...process.env, ...env, SWITCHBOARD_URL: server.url } });
      const spanish = await script('es');
      expect(spanish.stdout).toMatch(/Task WT[0-9a-f]{32} \(es\) entered "Spanish support"\./);
      // Bruno is the one available agent who speaks Spanish.
      expect(spanish.stdout).toMatch(/Offered to Bruno \(reservation WR[0-9a-f]{32}, pending\)\./);
      const english = await script('en');
      expect(english.stdout).toMatch(/entered "English support"\./);
      expect(english.stdout).toMatch(/Offered to Alice /);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
