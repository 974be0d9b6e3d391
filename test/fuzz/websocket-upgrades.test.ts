import { describe, expect, it } from 'vitest';
import { SEED, SIZES, TEST_TIMEOUT_MS } from './fuzz-size.js';
import type { TargetKind } from './targets.js';
import { runUpgradeCampaign } from './upgrade-campaign.js';

/**
 * WebSocket upgrades, well formed and not, with clients resetting the connection at every step, against the server
 * as a child process on both stores: it must never exit, never stop answering, and refuse in Twilio's format.
 */
describe('WebSocket upgrade fuzz', () => {
  const kinds: Array<{ kind: TargetKind; seedOffset: number }> = [
    { kind: 'process-memory', seedOffset: 30_000 },
    { kind: 'process-redis', seedOffset: 40_000 },
  ];
  for (const { kind, seedOffset } of kinds) {
    it(
      `survives every upgrade to a ${kind} server`,
      async () => {
        const log = await runUpgradeCampaign(
          kind,
          SIZES.upgradesPerProcess,
          SEED + seedOffset,
          `FUZZ_SEED=${SEED} npx vitest run test/fuzz/websocket-upgrades.test.ts -t ${kind}`,
        );
        const report = log.report(`WebSocket upgrade fuzz, ${kind} (FUZZ_SEED=${SEED})`);
        console.log(report);
        expect(log.requests).toBe(SIZES.upgradesPerProcess);
        // The report is the message: every finding, with an example and how to replay it.
        expect(log.all().length, report).toBe(0);
      },
      TEST_TIMEOUT_MS,
    );
  }
});
