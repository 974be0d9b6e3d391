import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { log } from '../telemetry/log.js';
import { scrubbedTarget } from '../telemetry/log-redaction.js';

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/**
 * Writes one access line for a WebSocket upgrade, like the API's for a request: method, endpoint, the target with
 * its token scrubbed, the status it was answered with (101, or a refusal), the time to answer and the request id.
 * Whoever answers (`ws` completing the handshake, a refusal) writes the status line on the raw connection, so the
 * first bytes written there tell the status; a connection that ends unanswered is logged when it closes.
 */
export function logUpgradeAnswer(req: IncomingMessage, socket: Duplex, fields: { requestId: string; route: string | undefined }): void {
  const started = performance.now();
  let logged = false;
  const write = (status: number | null): void => {
    if (logged) return;
    logged = true;
    // Once logged, nothing here is needed again: a socket may stay open for hours, and would keep the request.
    socket.off('close', unanswered);
    const line = {
      request_id: fields.requestId,
      method: req.method,
      route: fields.route,
      url: scrubbedTarget(req.url ?? ''),
      status,
      duration_ms: Math.round(performance.now() - started),
    };
    if (status !== null && status >= 500) log.error(line, 'upgrade failed');
    else log.info(line, 'upgrade completed');
  };
  const original = { write: socket.write, end: socket.end };
  const firstBytes = (chunk: unknown): void => {
    socket.write = original.write;
    socket.end = original.end;
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('latin1', 0, 16) : '';
    const status = STATUS_LINE.exec(text);
    write(status ? Number(status[1]) : null);
  };
  socket.write = function (this: Duplex, chunk: unknown, ...rest: unknown[]) {
    firstBytes(chunk);
    return (original.write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Duplex['write'];
  socket.end = function (this: Duplex, chunk?: unknown, ...rest: unknown[]) {
    firstBytes(chunk);
    return (original.end as (...args: unknown[]) => Duplex).call(this, chunk, ...rest);
  } as Duplex['end'];
  const unanswered = (): void => write(null);
  socket.once('close', unanswered);
}
