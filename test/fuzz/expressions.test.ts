import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ExpressionSyntaxError,
  evaluateExpression,
  parseAttributePath,
  parseExpression,
  parseOrderBy,
  referencedPaths,
  type Expression,
} from '../../src/core/expression/index.js';
import { attributes, combined, grammarExpression, pathological, tokenSoup } from './arbitraries/expressions.js';
import { SEED, SIZES, TEST_TIMEOUT_MS } from './fuzz-size.js';

/**
 * The expression language under fuzz: parsing either succeeds or throws an ExpressionSyntaxError whose position lies
 * within the text; evaluating never throws, never changes the attributes and always gives a boolean; valid-by-
 * construction expressions always parse and AND/OR mean what they say. Every case must finish: the large run
 * prints the slowest case's time (no timing is asserted).
 */

let cases = 0;
let slowest = { ms: 0, source: '' };

/** Runs `work` on `source`, keeping count and the slowest case. */
function timed<T>(source: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    const ms = performance.now() - start;
    cases++;
    if (ms > slowest.ms) slowest = { ms, source };
  }
}

/** Parses, or checks the error is the typed one, positioned within the text and saying where. */
function parseOrPositionedError(source: string, parse: (s: string) => unknown = parseExpression): unknown {
  try {
    return parse(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    const { position, message } = error as ExpressionSyntaxError;
    expect(Number.isInteger(position)).toBe(true);
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThanOrEqual(source.length);
    expect(message).toContain(`at position ${position}`);
    return undefined;
  }
}

/** Evaluates against the attributes alone and as task and worker: a boolean every time, the attributes untouched. */
function evaluatesCleanly(expression: Expression, attrs: Record<string, unknown>): boolean {
  const before = JSON.stringify(attrs);
  const result = evaluateExpression(expression, attrs);
  expect(typeof result).toBe('boolean');
  expect(typeof evaluateExpression(expression, { task: attrs, worker: attrs })).toBe('boolean');
  expect(evaluateExpression(expression, attrs)).toBe(result);
  expect(JSON.stringify(attrs)).toBe(before);
  expect(Array.isArray(referencedPaths(expression))).toBe(true);
  return result;
}

function anyInput(source: string, attrs: Record<string, unknown>): void {
  timed(source, () => {
    const parsed = parseOrPositionedError(source) as Expression | undefined;
    if (parsed) evaluatesCleanly(parsed, attrs);
    parseOrPositionedError(source, parseOrderBy);
    parseOrPositionedError(source, parseAttributePath);
  });
}

const options = (numRuns: number, offset: number) => ({ numRuns, seed: SEED + offset });

describe('expression fuzz', () => {
  afterAll(() => {
    console.log(
      `expression fuzz (FUZZ_SEED=${SEED}): ${cases} expressions, slowest ${slowest.ms.toFixed(2)} ms (${slowest.source.length} characters: ${JSON.stringify(slowest.source.slice(0, 60))}…)`,
    );
  });

  it(
    'token soups parse or fail with a positioned syntax error',
    () => {
      fc.assert(fc.property(tokenSoup, attributes, anyInput), options(SIZES.expressionSoups, 50_000));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'arbitrary strings, unicode and lone surrogates included, parse or fail with a positioned syntax error',
    () => {
      const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 }));
      fc.assert(fc.property(text, attributes, anyInput), options(SIZES.expressionStrings, 51_000));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'deep nesting, long chains and huge literals end in a result or a positioned error',
    () => {
      fc.assert(fc.property(pathological, attributes, anyInput), options(SIZES.expressionExtremes, 52_000));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'expressions valid by construction parse and evaluate to a boolean',
    () => {
      fc.assert(
        fc.property(grammarExpression, attributes, (source, attrs) => {
          timed(source, () => evaluatesCleanly(parseExpression(source), attrs));
        }),
        options(SIZES.expressionGrammar, 53_000),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'AND and OR of two expressions evaluate as the two do',
    () => {
      fc.assert(
        fc.property(combined, attributes, ({ left, right, op }, attrs) => {
          const source = `(${left}) ${op} (${right})`;
          timed(source, () => {
            const l = evaluatesCleanly(parseExpression(left), attrs);
            const r = evaluatesCleanly(parseExpression(right), attrs);
            expect(evaluatesCleanly(parseExpression(source), attrs)).toBe(op === 'AND' ? l && r : l || r);
          });
        }),
        options(SIZES.expressionPairs, 54_000),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
