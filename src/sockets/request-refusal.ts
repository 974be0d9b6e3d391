import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TwilioError } from '../core/errors.js';

/**
 * Answers a request on its raw connection (an upgrade refused instead of switching protocols, a request the HTTP
 * parser could not read) with an error in Twilio's format (`{code, message, more_info, status}`), then closes the connection once the answer is written: the server's sockets are half-open,
 * so a client that never closes its side would otherwise hold one forever. A connection the client already reset
 * is only destroyed.
 */
export function refuseRequest(socket: Duplex, error: TwilioError, options: { body?: boolean } = {}): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toWire());
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(error.status === 401 ? ['WWW-Authenticate: Basic realm="Twilio API"'] : []),
  ];
  socket.once('finish', () => socket.destroy());
  // The length is announced either way, as for GET; only the body of an answer to HEAD is left out.
  socket.end(`${head.join('\r\n')}\r\n\r\n${options.body === false ? '' : body}`);
}
