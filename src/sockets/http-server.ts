import { createServer, type RequestListener, type Server } from 'node:http';
import { TwilioError } from '../core/errors.js';
import { answerClientErrors } from './client-errors.js';
import { isRoutableTarget } from './request-target.js';

/**
 * The HTTP server the API runs on. A request reaches `app` only with a target it can route: one in neither origin
 * nor absolute form, or that the URL standard rejects (`http://[::1/…`), gets Twilio's 400 here, where express would
 * answer an HTML page of its own; so does an HTTP/1.1 request without a Host header. Requests Node's parser refuses
 * are answered in the same format.
 */
export function createHttpServer(app: RequestListener): Server {
  // Node refuses an HTTP/1.1 request without a Host header with a bare 400 of its own; it is refused here instead.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    const hostless = req.httpVersion === '1.1' && req.headers.host === undefined;
    if (!hostless && isRoutableTarget(req.url)) return app(req, res);
    const error = hostless
      ? new TwilioError(20001, 400, 'An HTTP/1.1 request must carry a Host header')
      : new TwilioError(20001, 400, 'The request target is not a valid path or absolute URL');
    const body = JSON.stringify(error.toWire());
    res.writeHead(error.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  answerClientErrors(server);
  return server;
}
