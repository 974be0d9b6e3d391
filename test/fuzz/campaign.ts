import fc from 'fast-check';
import { HttpExchange, type Outcome } from './http-exchange.js';
import { FindingLog } from './findings.js';
import { buildFixture } from './fixture.js';
import { judge, type Violation } from './oracle.js';
import type { AbstractRequest, ConcreteRequest } from './request-model.js';
import { resolveRequest } from './resolve.js';
import { SidCatalog } from './sid-catalog.js';
import { firstDifference } from './snapshots.js';
import { startTarget, type FuzzTarget, type TargetKind } from './targets.js';
import type { CampaignSize } from './fuzz-size.js';

/** A campaign: generated requests against fresh servers of one kind, every answer judged. */
export interface CampaignOptions {
  kind: TargetKind;
  size: CampaignSize;
  seed: number;
  requests: fc.Arbitrary<AbstractRequest>;
  /** How to run this campaign again, for the findings. */
  replay: string;
}

/**
 * Runs the campaign: each epoch starts a fresh server and fixture and sends `perEpoch` generated requests, one at a
 * time, snapshotting the store around each when the target allows. A server that exits is a finding; it is started
 * again and the campaign goes on, so one run lists every kind of failure rather than the first.
 */
export async function runCampaign(options: CampaignOptions): Promise<FindingLog> {
  const log = new FindingLog();
  for (let epoch = 0; epoch < options.size.epochs; epoch++) {
    const seed = options.seed + epoch;
    const session = await Session.start(options.kind);
    try {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(options.requests, async (request) => {
          run++;
          await session.exercise(request, log, `${options.replay} — FUZZ_SEED=${options.seed}, epoch ${epoch} (fast-check seed ${seed}), request ${run}`);
        }),
        { seed, numRuns: options.size.perEpoch, endOnFailure: true },
      );
    } finally {
      await session.close();
    }
  }
  return log;
}

/** One server under fuzz, its catalog of records, and the last requests sent (to explain an exit). */
class Session {
  private recent: string[] = [];
  private readonly oversizedSeen = new Set<string>();

  private constructor(
    private readonly kind: TargetKind,
    private target: FuzzTarget,
    private exchange: HttpExchange,
    private catalog: SidCatalog,
  ) {}

  static async start(kind: TargetKind): Promise<Session> {
    const target = await startTarget(kind);
    const exchange = new HttpExchange(target.info.url);
    const catalog = new SidCatalog();
    try {
      await buildFixture(exchange, target.info, catalog);
    } catch (err) {
      exchange.close();
      await target.close();
      throw err;
    }
    target.drainLoggedFailures();
    return new Session(kind, target, exchange, catalog);
  }

  async exercise(abstract: AbstractRequest, log: FindingLog, replay: string): Promise<void> {
    if (this.catalog.workspaces().length === 0) await buildFixture(this.exchange, this.target.info, this.catalog);
    const request = resolveRequest(abstract, this.catalog, this.target.info);
    this.recent = [...this.recent.slice(-4), describeRequest(request)];
    const before = await this.target.snapshot();
    let outcome = await this.exchange.send(request);
    if (outcome.kind === 'no-answer' && outcome.reason.startsWith('not sendable')) {
      log.unsendable++;
      return;
    }
    // A kept-alive connection the server closed after its previous answer resets the next request before the server
    // reads it; that is the client's race, not the server's answer. Asked again on a new connection.
    if (outcome.kind === 'no-answer' && /ECONNRESET|socket hang up/.test(outcome.reason) && this.target.exited() === null) {
      this.exchange.close();
      this.exchange = new HttpExchange(this.target.info.url);
      outcome = await this.exchange.send(request);
    }
    log.requests++;
    let changed: string | null = null;
    if (before !== null && outcome.kind === 'answer' && outcome.status >= 400 && outcome.status < 500) {
      const after = await this.target.snapshot();
      if (after !== null && after !== before) changed = firstDifference(before, after);
    }
    const violations: Violation[] = judge(request, outcome, changed);
    const exit = this.target.exited();
    if (exit !== null) violations.push({ rule: 'process-exit', detail: `${exit}\n      last requests:\n        ${this.recent.join('\n        ')}` });
    if (outcome.kind === 'answer' && outcome.status < 300) {
      this.learn(request, outcome);
      if (request.surface === 'connector' || request.surface === 'webhook') {
        for (const task of await this.target.oversizedAttributes(this.catalog.workspaces())) {
          if (this.oversizedSeen.has(task)) continue;
          this.oversizedSeen.add(task);
          violations.push({ rule: 'attributes-over-limit', detail: `task ${task} after this request` });
        }
      }
    }
    // An unexpected failure a webhook hid behind its apology TwiML is still a failure.
    if (this.kind.startsWith('in-process')) {
      for (const line of this.target.drainLoggedFailures()) violations.push({ rule: 'failure-logged', detail: line });
    }
    const status = outcome.kind === 'answer' ? outcome.status : null;
    const route = refusedByParser(request, outcome) ? '(any route: answered by the HTTP parser)' : routeOf(abstract);
    for (const violation of violations) {
      log.record(violation, { route, status, example: describeRequest(request), replay });
    }
    if (exit !== null) await this.restart();
  }

  async close(): Promise<void> {
    this.exchange.close();
    await this.target.close();
  }

  private learn(request: ConcreteRequest, outcome: Outcome & { kind: 'answer' }): void {
    if (request.method === 'DELETE' && outcome.status === 204) {
      const last = request.pathAndQuery.split('?')[0]!.split('/').pop();
      if (last) this.catalog.remove(decodeURIComponent(last));
      return;
    }
    if (!(outcome.headers['content-type'] ?? '').includes('json')) return;
    try {
      this.catalog.learn(JSON.parse(outcome.text));
    } catch {
      // Not JSON after all: nothing to learn.
    }
  }

  private async restart(): Promise<void> {
    this.exchange.close();
    await this.target.close();
    this.target = await startTarget(this.kind);
    this.exchange = new HttpExchange(this.target.info.url);
    this.catalog = new SidCatalog();
    await buildFixture(this.exchange, this.target.info, this.catalog);
  }
}

/** Node's limit on a request's head (request line and headers). */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Whether Node's HTTP parser answered before any route saw the request: a bodiless 400 or 431, or a connection
 * reset under a head too large (the parser answers 431 and closes while the client is still sending).
 */
function refusedByParser(request: ConcreteRequest, outcome: Outcome): boolean {
  if (outcome.kind === 'answer') return outcome.text === '' && (outcome.status === 431 || outcome.status === 400);
  const head = request.target.length + request.headers.reduce((n, [name, value]) => n + name.length + value.length + 4, 0);
  return head > MAX_HEAD_BYTES && /ECONNRESET|socket hang up|EPIPE/.test(outcome.reason);
}

/** The route a generated request addresses, records named by kind: how findings are grouped. */
export function routeOf(request: AbstractRequest): string {
  const path = request.path.map((segment) => (typeof segment === 'string' ? segment : segment.use === 'text' ? '{malformed}' : `{${segment.kind}}`)).join('/');
  return `${request.method} /${path}${request.pathSuffix ? ' +' + JSON.stringify(request.pathSuffix) : ''}${request.absoluteForm === null ? '' : ` (absolute-form ${request.absoluteForm})`}`;
}

/** A request as sent, short enough for a report: method, target, headers but credentials, and the body's start. */
export function describeRequest(request: ConcreteRequest): string {
  const headers = request.headers
    .map(
      ([name, value]) =>
        `${name}: ${name === 'Authorization' ? (value.startsWith('Basic ') && value.length < 200 ? 'Basic <…>' : short(value, 40)) : short(value, 60)}`,
    )
    .join('; ');
  const body = request.body ? ` body(${request.body.length} bytes): ${short(request.body.toString('utf8'), 200)}` : '';
  return `${request.method} ${short(request.target, 300)} [${headers}]${body}`;
}

function short(text: string, max: number): string {
  const json = JSON.stringify(text).slice(1, -1);
  return json.length > max ? json.slice(0, max - 1) + '…' : json;
}
