import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { TwilioError } from '../core/errors.js';
import { refuseRequest } from './request-refusal.js';

/** Node's parser codes for a request too large to read, and the status each deserves. */
const TOO_LARGE: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, HPE_CHUNK_EXTENSIONS_OVERFLOW: 413 };

/**
 * Requests Node's HTTP parser refuses before any handler sees them (a space in the target, a broken header, headers
 * too large) are answered in Twilio's error format too, rather than with Node's bare `400 Bad Request`. Connections
 * that time out or were reset get no answer: there is nobody to read one.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    // As Node's own handler does: a connection whose answer has begun (the error is about what came after it) can
    // take no second answer, only an end.
    const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (err.code === 'ECONNRESET' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    const status = TOO_LARGE[err.code ?? ''] ?? 400;
    const message = status === 400 ? 'The request could not be parsed as HTTP' : 'The request is too large';
    // An answer to HEAD has no body, and a client reading one would take the body for the next answer.
    const head = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    refuseRequest(socket, new TwilioError(status === 400 ? 20001 : 20413, status, message), { body: !head });
  });
}
