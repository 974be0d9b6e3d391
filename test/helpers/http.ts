import type { TestServer } from './server.js';

/** A raw HTTP exchange with the server, for what the twilio client hides (headers, status codes, bad input). */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * Sends a request with the server's Basic credentials (unless `auth` is false or another pair is given); `form` is
 * sent form-encoded, arrays as repeated keys like twilio-node does.
 */
export async function raw(
  server: TestServer,
  method: string,
  path: string,
  options: { form?: Record<string, string | string[]>; headers?: Record<string, string>; auth?: false | [string, string] } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== false) {
    const [user, password] = options.auth ?? [server.accountSid, server.authToken];
    headers.Authorization = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  }
  let body: string | undefined;
  if (options.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    body = params.toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(path.startsWith('http') ? path : server.url + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
