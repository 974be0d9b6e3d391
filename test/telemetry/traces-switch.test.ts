import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';
import { SpanKind, startTraceCollector, type TraceCollector } from './traces-collector.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = 'src/telemetry/preload.ts';
const credentials = { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };
const basicAuth = 'Basic ' + Buffer.from(`${credentials.TWILIO_ACCOUNT_SID}:${credentials.TWILIO_AUTH_TOKEN}`).toString('base64');

let collector: TraceCollector;
beforeAll(async () => {
  collector = await startTraceCollector();
});
afterAll(() => collector?.close());

/** The environment of a child process: ours without any OpenTelemetry or tracing variable, plus `env`. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter(([key, value]) => value !== undefined && !/^(OTEL_|SWITCHBOARD_TRACING)/.test(key));
  return { ...(Object.fromEntries(inherited) as Record<string, string>), ...env };
}

/** What a process started with the preload and `env` (in `cwd`) says of tracing: do spans record, was the SDK loaded. */
async function probe(env: Record<string, string>, cwd = ROOT): Promise<{ recording: boolean; sdkLoaded: boolean }> {
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const args = ['--import', tsx, '--import', pathToFileURL(join(ROOT, PRELOAD)).href, join(ROOT, 'test', 'telemetry', 'traces-probe.ts')];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, env: childEnv(env) });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { recording: boolean; sdkLoaded: boolean };
}

describe('the tracing preload', () => {
  it('loads no SDK without a variable asking for tracing', async () => {
    expect(await probe({})).toEqual({ recording: false, sdkLoaded: false });
  });

  it.each<Record<string, string>>([
    { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces' },
    { OTEL_TRACES_EXPORTER: 'otlp' },
    { SWITCHBOARD_TRACING: 'on' },
  ])('starts the SDK with %o', async (env) => {
    expect(await probe(env)).toEqual({ recording: true, sdkLoaded: true });
  });

  it('reads a .env file in the working directory before deciding, as the server does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-traces-'));
    try {
      await writeFile(join(dir, '.env'), 'SWITCHBOARD_TRACING=on\n');
      expect(await probe({}, dir)).toEqual({ recording: true, sdkLoaded: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads no SDK with OTEL_SDK_DISABLED=true, whatever else is set', async () => {
    expect(await probe({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', SWITCHBOARD_TRACING: 'on' })).toEqual({
      recording: false,
      sdkLoaded: false,
    });
  });

  it('sends the spans still waiting when the server is stopped', async () => {
    const before = collector.spans().length;
    // Batches would wait ten minutes: only the flush on SIGTERM sends this one.
    const env = { ...credentials, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_SERVICE_NAME: 'switchboard-eu' };
    const server = await startServerProcess(childEnv(env), { preload: PRELOAD });
    let stopped = false;
    try {
      const res = await fetch(`${server.url}/v1/Workspaces`, { headers: { Authorization: basicAuth } });
      expect(res.status).toBe(200);
      expect(collector.spans().length).toBe(before);
      await server.stop();
      stopped = true;
    } finally {
      if (!stopped) await server.stop();
    }
    const listed = collector.spans().find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === '/v1/Workspaces');
    expect(listed).toMatchObject({ service: 'switchboard-eu', name: 'GET /v1/Workspaces' });
  });

  it('sends nothing when OTEL_SDK_DISABLED=true, the endpoint set or not', async () => {
    const env = { ...credentials, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_SDK_DISABLED: 'true', OTEL_BSP_SCHEDULE_DELAY: '10' };
    const server = await startServerProcess(childEnv(env), { preload: PRELOAD });
    const before = collector.requests;
    try {
      const res = await fetch(`${server.url}/v1/Workspaces`, { headers: { Authorization: basicAuth } });
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(collector.requests).toBe(before);
  });
});
