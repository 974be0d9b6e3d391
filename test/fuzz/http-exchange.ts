import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { ConcreteRequest } from './request-model.js';

/** What came back: an answer, or why none did. */
export type Outcome = { kind: 'answer'; status: number; headers: IncomingHttpHeaders; text: string } | { kind: 'no-answer'; reason: string };

/** How long an answer may take before the request counts as hung. */
export const ANSWER_TIMEOUT_MS = 15_000;

/**
 * Sends requests with node:http (any method, any header Node lets through, absolute-form targets), over kept-alive
 * connections so a large run is not spent on handshakes.
 */
export class HttpExchange {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(private readonly baseUrl: string) {}

  send(request: ConcreteRequest): Promise<Outcome> {
    const base = new URL(this.baseUrl);
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      let req;
      try {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of request.headers) {
          const prev = headers[name];
          headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
        }
        if (request.body) headers['Content-Length'] = String(request.body.length);
        req = httpRequest({
          host: base.hostname,
          port: base.port,
          method: request.method,
          path: request.target,
          headers,
          agent: this.agent,
          timeout: ANSWER_TIMEOUT_MS,
        });
      } catch (err) {
        // Node refused to send it (an invalid header); the generators should not produce these.
        return settle({ kind: 'no-answer', reason: `not sendable: ${(err as Error).message}` });
      }
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => settle({ kind: 'answer', status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => settle({ kind: 'no-answer', reason: `answer cut off: ${err.message}` }));
      });
      req.on('timeout', () => {
        settle({ kind: 'no-answer', reason: `no answer within ${ANSWER_TIMEOUT_MS} ms` });
        req.destroy();
      });
      req.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'no-answer', reason: `${err.code ?? 'error'}: ${err.message}` }));
      req.end(request.body ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
