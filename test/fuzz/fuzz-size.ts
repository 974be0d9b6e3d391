/**
 * How much to fuzz. The CI size runs in well under a minute on two cores; `FUZZ_SIZE=large` (`npm run fuzz`) sends
 * over 100,000 HTTP requests and parses over 100,000 expressions. `FUZZ_SEED` replays a run: every campaign prints
 * the seed it used.
 */

export const LARGE = process.env.FUZZ_SIZE === 'large';

/** The seed of this run: `FUZZ_SEED` when set, otherwise a fresh one (printed with every report). */
export const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;

/** Requests per campaign: epochs (each a fresh server and fixture) times requests per epoch. */
export interface CampaignSize {
  epochs: number;
  perEpoch: number;
}

export const SIZES = {
  inProcessMemory: LARGE ? { epochs: 40, perEpoch: 1_000 } : { epochs: 1, perEpoch: 250 },
  inProcessRedis: LARGE ? { epochs: 20, perEpoch: 1_000 } : { epochs: 1, perEpoch: 120 },
  processMemory: LARGE ? { epochs: 10, perEpoch: 2_000 } : { epochs: 1, perEpoch: 80 },
  processRedis: LARGE ? { epochs: 10, perEpoch: 2_000 } : { epochs: 1, perEpoch: 80 },
  upgradesPerProcess: LARGE ? 2_500 : 40,
  /** Cases per expression property; five properties, so the large size checks 110,000 expressions. */
  expressionSoups: LARGE ? 40_000 : 1_000,
  expressionStrings: LARGE ? 20_000 : 500,
  expressionExtremes: LARGE ? 2_000 : 60,
  expressionGrammar: LARGE ? 30_000 : 800,
  expressionPairs: LARGE ? 20_000 : 400,
} satisfies Record<string, CampaignSize | number>;

/** A test's time limit: generous for the large size, where only the harness's own per-request limits apply. */
export const TEST_TIMEOUT_MS = LARGE ? 4 * 3600_000 : 120_000;
