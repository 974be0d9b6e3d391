import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { documentFile } from './fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'support-line.yaml');
const credentials = { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess(credentials);
});
afterAll(() => server.stop());

/** Runs the switchboard command as its own process, as an operator would; its exit code and what it printed. */
async function switchboard(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const merged = { ...process.env, ...credentials, SWITCHBOARD_URL: server.url, ...env };
  const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src', 'cli', 'switchboard.ts'), ...args], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

async function supportLines(): Promise<number> {
  return (await server.client.taskrouter.v1.workspaces.list()).filter((w) => w.friendlyName === 'Support line').length;
}

describe('switchboard apply, against a running server', () => {
  it('prints the plan on a dry run and changes nothing, applies it, then finds nothing to change', async () => {
    const dry = await switchboard(['apply', EXAMPLE, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("+ create workspace 'Support line'");
    expect(dry.stdout).toContain("+ create phone number '+15550100100' in 'Support line'");
    expect(dry.stdout).toContain('Dry run');
    expect(await supportLines()).toBe(0);

    const applied = await switchboard(['apply', EXAMPLE]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("+ create task queue 'Spanish support' in 'Support line'");
    expect(await supportLines()).toBe(1);
    const auth = 'Basic ' + Buffer.from(`${credentials.TWILIO_ACCOUNT_SID}:${credentials.TWILIO_AUTH_TOKEN}`).toString('base64');
    const number = await fetch(`${server.url}/v1/Connector/PhoneNumbers/+15550100100`, { headers: { authorization: auth } });
    expect(await number.json()).toMatchObject({ when_no_workers: 'voicemail', max_queue_size: 20 });

    const again = await switchboard(['apply', EXAMPLE]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to change');
    expect(await supportLines()).toBe(1);

    // Pruning would delete what a new workspace starts with and the example does not name; a dry run only says so.
    const prune = await switchboard(['apply', EXAMPLE, '--prune', '--dry-run']);
    expect(prune.code).toBe(0);
    expect(prune.stdout).toContain("- delete activity 'Unavailable' in 'Support line'");
    const ws = (await server.client.taskrouter.v1.workspaces.list()).find((w) => w.friendlyName === 'Support line')!;
    expect((await server.client.taskrouter.v1.workspaces(ws.sid).activities.list()).map((a) => a.friendlyName)).toContain('Unavailable');
  });

  it('refuses a file with a problem, naming the file, the path and the problem, and exits non-zero', async () => {
    const file = await documentFile({ workspaces: [{ friendly_name: 'Refused', workers: [{ friendly_name: 'Dana', activity: 'Lunch' }] }] });
    const result = await switchboard(['apply', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: workspaces[0].workers[0].activity: `);
    expect((await server.client.taskrouter.v1.workspaces.list()).some((w) => w.friendlyName === 'Refused')).toBe(false);
  });

  it('reports wrong credentials and usage mistakes', async () => {
    const wrong = await switchboard(['apply', EXAMPLE], { TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('(401)');
    expect((await switchboard(['apply'])).code).toBe(2);
    expect((await switchboard(['apply', EXAMPLE], { TWILIO_ACCOUNT_SID: undefined })).code).toBe(2);
  });
});
