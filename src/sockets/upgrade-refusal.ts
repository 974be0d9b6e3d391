import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TwilioError } from '../core/errors.js';

/**
 * Answers an upgrade request with an error in Twilio's format (`{code, message, more_info, status}`) instead of
 * switching protocols, then closes the connection once the answer is written: the server's sockets are half-open,
 * so a client that never closes its side would otherwise hold one forever. A connection the client already reset
 * is only destroyed.
 */
export function refuseUpgrade(socket: Duplex, error: TwilioError): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ code: error.code, message: error.message, more_info: error.moreInfo, status: error.status });
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(error.status === 401 ? ['WWW-Authenticate: Basic realm="Twilio API"'] : []),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
