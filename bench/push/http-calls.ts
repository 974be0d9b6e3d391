/**
 * The push benchmark's HTTP calls to the server, over keep-alive node:http: the REST API with the deployment's Basic
 * pair (set-up, tasks), and the worker SDK's envelope (`POST /v1/wschannels` with `{url, method, params, token}` as
 * JSON text sent as form data, the headers it sends), which is how the lean agents answer their reservations.
 */
import { Agent, request } from 'node:http';

export interface Server {
  base: URL;
  authorization: string;
  agent: Agent;
}

export function serverAt(base: string, credentials: string, sockets: number): Server {
  return {
    base: new URL(base),
    authorization: 'Basic ' + Buffer.from(credentials).toString('base64'),
    agent: new Agent({ keepAlive: true, maxSockets: sockets }),
  };
}

/** Sends one request; resolves with the parsed JSON body of a 2xx answer. */
export function httpCall(
  server: Server,
  method: 'GET' | 'POST',
  path: string,
  body: string | undefined,
  headers: Record<string, string | number>,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: server.agent,
        host: server.base.hostname,
        port: server.base.port,
        method,
        path,
        headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A REST API call with the account's Basic pair; `form` is sent form-encoded. */
export function restCall(server: Server, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers: Record<string, string> = { authorization: server.authorization };
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  return httpCall(server, method, `/v1${path}`, body, headers);
}

/** One call of the worker SDK (its Request.js): the envelope posted to `ebServer`, answered `{payload}`. */
export async function sdkCall(
  server: Server,
  token: string,
  method: 'GET' | 'POST',
  url: string,
  params: Record<string, unknown>,
  apiVersion = 'v1',
): Promise<unknown> {
  const body = JSON.stringify({ url, method, params, token });
  const headers = { 'content-type': 'application/x-www-form-urlencoded', apiVersion, clientVersion: '2.1.1' };
  return (await httpCall(server, 'POST', '/v1/wschannels', body, headers)).payload;
}

/** Runs `work` on each item, at most `concurrency` at a time. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
