import fc from 'fast-check';
import twilio from 'twilio';
import { upgradeScript, type UpgradeScript } from './arbitraries/upgrades.js';
import { FindingLog } from './findings.js';
import { buildFixture } from './fixture.js';
import { HttpExchange } from './http-exchange.js';
import { errorShapeProblem, excerpt, type Violation } from './oracle.js';
import { parseAnswer, rawExchange } from './raw-socket.js';
import type { ConcreteRequest } from './request-model.js';
import { SidCatalog, freshHandle } from './sid-catalog.js';
import { startTarget, type FuzzTarget, type TargetKind } from './targets.js';

/**
 * WebSocket upgrades against a server in a child process, so that a crash is seen as the process exiting: after
 * every upgrade the process must still be there and answer `/healthz`, and every refusal must be an HTTP answer in
 * Twilio's error format.
 */
export async function runUpgradeCampaign(kind: TargetKind, count: number, seed: number, replay: string): Promise<FindingLog> {
  const log = new FindingLog();
  let target = await startTarget(kind);
  let catalog = new SidCatalog();
  let exchange = new HttpExchange(target.info.url);
  const restart = async () => {
    exchange.close();
    await target.close();
    target = await startTarget(kind);
    exchange = new HttpExchange(target.info.url);
    catalog = new SidCatalog();
    await buildFixture(exchange, target.info, catalog);
  };
  try {
    await buildFixture(exchange, target.info, catalog);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(upgradeScript, async (script) => {
        run++;
        const request = upgradeRequest(script, target, catalog);
        const port = Number(new URL(target.info.url).port);
        const outcome = await rawExchange(port, request, script.ending);
        log.requests++;
        const violations: Violation[] = [];
        const answer = parseAnswer(outcome.answer);
        if (answer && answer.status >= 500) violations.push({ rule: 'server-error', detail: `${answer.status} ${excerpt(answer.body)}` });
        if (answer && answer.status >= 400 && answer.status < 500) {
          const problem = errorShapeProblem(answer.status, answer.body);
          if (problem) violations.push({ rule: 'error-shape', detail: `${answer.status}: ${problem}` });
        }
        if (script.ending === 'read' && outcome.timedOut)
          violations.push({ rule: 'no-answer', detail: `upgrade unanswered: ${excerpt(outcome.answer) || 'nothing'}` });
        // The server must outlive whatever the client did: still running, and still answering.
        const health = await exchange.send(healthCheck());
        const healthy = health.kind === 'answer' && health.status === 200;
        // A process that stopped answering may be on its way out: give its exit a moment to be seen.
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 500));
        const exit = target.exited();
        if (exit !== null) violations.push({ rule: 'process-exit', detail: exit });
        else if (!healthy)
          violations.push({ rule: 'no-answer', detail: `upgrade left /healthz unanswered: ${health.kind === 'answer' ? health.status : health.reason}` });
        const route =
          answer && answer.body === '' && answer.status === 400
            ? '(any upgrade: answered by the HTTP parser)'
            : `UPGRADE ${script.target.path.slice(0, 40)}${script.target.origin ? ` (absolute-form ${script.target.origin})` : ''} [${script.ending}]`;
        for (const violation of violations) {
          log.record(violation, {
            route,
            status: answer?.status ?? null,
            example: JSON.stringify(request.slice(0, 600)),
            replay: `${replay} — FUZZ_SEED=${seed}, upgrade ${run}`,
          });
        }
        if (exit !== null || !healthy) await restart();
      }),
      { seed, numRuns: count, endOnFailure: true },
    );
  } finally {
    exchange.close();
    await target.close();
  }
  return log;
}

/** The request's bytes (latin1 text): request line, headers with credentials and signature as the script asks. */
function upgradeRequest(script: UpgradeScript, target: FuzzTarget, catalog: SidCatalog): string {
  const workspace = catalog.pick('WS', 0, null);
  const query = new URLSearchParams(
    script.target.query.map(([name, value]): [string, string] => {
      if (typeof value === 'string') return [name, value];
      if (value.use === 'text') return [name, value.text];
      if (value.use === 'fresh') return [name, freshHandle(value.kind)];
      return [name, catalog.pick(value.kind, value.pick, workspace) ?? freshHandle(value.kind)];
    }),
  ).toString();
  const pathAndQuery = script.target.path + (query ? (script.target.path.includes('?') ? '&' : '?') + query : '');
  const self = new URL(target.info.url);
  const origin = script.target.origin === 'self' ? self.origin : script.target.origin;
  const lines = [`${script.method} ${origin}${pathAndQuery} ${script.version}`.trimEnd()];
  for (const [name, value] of script.headers) lines.push(`${name}: ${name === 'Host' && value === 'self' ? self.host : value}`);
  if (script.goodAuth) lines.push(`Authorization: Basic ${Buffer.from(`${target.info.accountSid}:${target.info.authToken}`).toString('base64')}`);
  if (script.signature !== 'none') {
    // Twilio signs the stream URL it was given: the media base URL (PUBLIC_URL as ws://) with path and query.
    const signed = target.info.publicUrl.replace(/^http/, 'ws') + pathAndQuery + (script.signature === 'wrong' ? 'x' : '');
    lines.push(`X-Twilio-Signature: ${twilio.getExpectedTwilioSignature(target.info.authToken, signed, {})}`);
  }
  return lines.join('\r\n') + '\r\n\r\n' + script.trailing;
}

function healthCheck(): ConcreteRequest {
  return {
    surface: 'other',
    method: 'GET',
    target: '/healthz',
    pathAndQuery: '/healthz',
    headers: [],
    body: null,
    mediaType: null,
    params: new Map(),
    summary: 'GET /healthz',
  };
}
