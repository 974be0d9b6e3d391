import { connect } from 'node:net';
import type { Ending } from './arbitraries/upgrades.js';

/** What a raw exchange saw: the answer's bytes (latin1), and whether it timed out waiting. */
export interface RawOutcome {
  answer: string;
  timedOut: boolean;
  error: string | null;
}

/** How long a client that reads waits for the answer. */
const READ_TIMEOUT_MS = 5_000;

/**
 * Sends `request` (bytes as latin1 text) on a new TCP connection to the server and ends the exchange as `ending`
 * says, resets included: what browsers and proxies do to a server at any moment.
 */
export function rawExchange(port: number, request: string, ending: Ending): Promise<RawOutcome> {
  return new Promise<RawOutcome>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    let settled = false;
    const finish = (timedOut: boolean, error: string | null = null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!socket.destroyed) socket.destroy();
      resolve({ answer, timedOut, error });
    };
    const timer = setTimeout(() => finish(true), READ_TIMEOUT_MS);
    const reset = () => {
      if (!socket.destroyed) socket.resetAndDestroy();
      finish(false);
    };
    socket.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
    socket.on('close', () => finish(false));
    socket.on('data', (chunk: Buffer) => {
      if (ending === 'reset-on-answer') return reset();
      answer += chunk.toString('latin1');
      const head = answer.indexOf('\r\n\r\n');
      if (head < 0) return;
      // A switched protocol stays open: seen it, done. Otherwise read the body its Content-Length announces.
      if (/^HTTP\/1\.[01] 101/.test(answer)) return setTimeout(() => finish(false), 20);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(answer.slice(0, head));
      if (length && answer.length >= head + 4 + Number(length[1])) finish(false);
      if (isChunked(answer.slice(0, head)) && answer.endsWith('\r\n0\r\n\r\n')) finish(false);
    });
    socket.on('connect', () => {
      const bytes = Buffer.from(request, 'latin1');
      switch (ending) {
        case 'reset-after-send':
          socket.write(bytes, () => reset());
          return;
        case 'reset-mid-request':
          socket.write(bytes.subarray(0, Math.max(1, bytes.length >> 1)), () => reset());
          return;
        case 'half-close':
          socket.end(bytes);
          return;
        default:
          socket.write(bytes);
      }
    });
  });
}

/** The status of an HTTP answer, and its body (after the blank line); null when the text is no HTTP answer. */
export function parseAnswer(text: string): { status: number; body: string } | null {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!match) return null;
  const head = text.indexOf('\r\n\r\n');
  if (head < 0) return { status: Number(match[1]), body: '' };
  const raw = text.slice(head + 4);
  return { status: Number(match[1]), body: Buffer.from(isChunked(text.slice(0, head)) ? unchunk(raw) : raw, 'latin1').toString('utf8') };
}

function isChunked(head: string): boolean {
  return /\r\ntransfer-encoding:\s*chunked/i.test(head);
}

/** The body of a chunked answer (as far as it came). */
function unchunk(raw: string): string {
  let body = '';
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return body;
    const size = parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return body;
    body += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}
