import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** An HTTP response read off a raw connection. */
export interface RawExchange {
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: any;
}

/**
 * The text of a WebSocket upgrade request for `target`, written as is: a raw connection is the only way to send a
 * request target in absolute form or one no client library would build.
 */
export function upgradeRequest(target: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  return `GET ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}

/** The text of a form POST to `target`, written as is. */
export function formRequest(target: string, form: Record<string, string>, headers: Record<string, string> = {}): string {
  const body = new URLSearchParams(form).toString();
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...headers,
  };
  return `POST ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;
}

function open(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  // A reset or refused connection is an outcome the callers look at, not a failure of the test process.
  socket.on('error', () => {});
  return socket;
}

/** Sends `request` and reads the response: its head and, when it announces a length, its body. */
export function exchange(port: number, request: string): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = open(port);
    let received = Buffer.alloc(0);
    const finish = (): boolean => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
      const length = status === 101 ? 0 : Number(headers['content-length'] ?? NaN);
      const body = received.subarray(end + 4);
      if (Number.isNaN(length) || body.length < length) return false;
      const text = body.subarray(0, length).toString('utf8');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      resolve({ status, headers, body: parsed });
      socket.destroy();
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on('close', () => {
      if (!finish()) reject(new Error(`connection closed before a whole response: ${JSON.stringify(received.toString('latin1'))}`));
    });
    socket.write(request);
  });
}

/** Sends `request` and reads everything the server writes until it closes the connection, as text. */
export function everythingSent(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = open(port);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.write(request);
  });
}

/**
 * Sends `request` and resets the connection (TCP RST) either as soon as it is written or as soon as the answer
 * starts arriving. Resolves with the status line read before the reset, if any.
 */
export function resetDuring(port: number, request: string, when: 'sent' | 'answering'): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = open(port);
    let statusLine: string | null = null;
    socket.on('data', (chunk: Buffer) => {
      statusLine ??= chunk.toString('latin1').split('\r\n')[0] ?? '';
      if (when === 'answering') socket.resetAndDestroy();
    });
    socket.on('close', () => resolve(statusLine));
    socket.on('connect', () => {
      socket.write(request, () => {
        if (when === 'sent') socket.resetAndDestroy();
      });
    });
  });
}
