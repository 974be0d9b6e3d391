import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiRequest } from './arbitraries/routes.js';
import { webhookRequest } from './arbitraries/webhooks.js';
import { runCampaign } from './campaign.js';
import { SEED, SIZES, TEST_TIMEOUT_MS } from './fuzz-size.js';
import type { CampaignSize } from './fuzz-size.js';
import type { TargetKind } from './targets.js';

/**
 * Random and malformed requests to every route, webhook and content type, against the server in this process (state
 * snapshots around every request) and as a child process (a crash is the process exiting), on both stores. Every
 * answer is judged (see oracle.ts); the test fails with the list of findings, each with an example and how to
 * replay it.
 */

const requests = fc.oneof({ weight: 3, arbitrary: apiRequest }, { weight: 1, arbitrary: webhookRequest });

const CAMPAIGNS: Array<{ kind: TargetKind; size: CampaignSize; seedOffset: number }> = [
  { kind: 'in-process-memory', size: SIZES.inProcessMemory, seedOffset: 0 },
  { kind: 'in-process-redis', size: SIZES.inProcessRedis, seedOffset: 5_000 },
  { kind: 'process-memory', size: SIZES.processMemory, seedOffset: 10_000 },
  { kind: 'process-redis', size: SIZES.processRedis, seedOffset: 20_000 },
];

describe('HTTP fuzz', () => {
  for (const { kind, size, seedOffset } of CAMPAIGNS) {
    it(
      `answers every request to a ${kind} server within the rules`,
      async () => {
        const seed = SEED + seedOffset;
        const log = await runCampaign({ kind, size, seed, requests, replay: `FUZZ_SEED=${SEED} npx vitest run test/fuzz/http-requests.test.ts -t ${kind}` });
        const report = log.report(`HTTP fuzz, ${kind} (FUZZ_SEED=${SEED})`);
        console.log(report);
        expect(log.requests).toBeGreaterThan(size.epochs * size.perEpoch * 0.9);
        // The report is the message: every finding, with an example and how to replay it.
        expect(log.all().length, report).toBe(0);
      },
      TEST_TIMEOUT_MS,
    );
  }
});
