/**
 * The REST benchmark's ceilings: servers that answer the load client's four requests with the shapes it reads and do
 * nothing else — an empty express 5 app with the body parser Switchboard uses, and bare node:http — so the client,
 * the loopback network and the framework are measured alone, in the same run as Switchboard.
 *
 *   node dist/bench/rest/ceiling-servers.js express|http     (prints "listening on port N")
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const TASK = JSON.stringify({ sid: 'WT' + '0'.repeat(32), assignment_status: 'pending' });
const RESERVATIONS = JSON.stringify({ reservations: [{ sid: 'WR' + '0'.repeat(32) }], meta: {} });

/** What the load client expects: a list of reservations for a GET, a record for a POST. */
function answerOf(method: string | undefined): string {
  return method === 'GET' ? RESERVATIONS : TASK;
}

function expressApp(): (req: IncomingMessage, res: ServerResponse) => void {
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '4mb' }));
  app.all('/{*path}', (req, res) => {
    res
      .status(req.method === 'GET' ? 200 : 201)
      .type('application/json')
      .send(answerOf(req.method));
  });
  return app;
}

function bareHandler(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    const body = answerOf(req.method);
    res.writeHead(req.method === 'GET' ? 200 : 201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

const kind = process.argv[2];
if (kind !== 'express' && kind !== 'http') throw new Error('usage: ceiling-servers express|http');
const server = createServer(kind === 'express' ? expressApp() : bareHandler);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on port ${(server.address() as AddressInfo).port}\n`));
// Exits (rather than dying of the signal) when stopped, so that a profile asked for with CEILING_NODE_ARGS is written.
process.once('SIGTERM', () => process.exit(0));
