import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ExpressionSyntaxError,
  evaluateExpression,
  parseAttributePath,
  parseExpression,
  parseOrderBy,
  referencedPaths,
} from '../../src/core/expression/index.js';
// The same token soups the fuzz harness parses, at the size of a unit test.
import { tokenSoup } from '../fuzz/arbitraries/expressions.js';

/** Parsing either succeeds or fails with a positioned ExpressionSyntaxError; a success must evaluate to a boolean. */
function parsesOrFailsCleanly(source: string): void {
  let expression;
  try {
    expression = parseExpression(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    const position = (error as ExpressionSyntaxError).position;
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThanOrEqual(source.length);
    return;
  }
  expect(typeof evaluateExpression(expression, {})).toBe('boolean');
  expect(Array.isArray(referencedPaths(expression))).toBe(true);
}

describe('arbitrary input', () => {
  it('arbitrary strings parse or fail with ExpressionSyntaxError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 120 }), parsesOrFailsCleanly), { numRuns: 2000 });
  });

  it('arbitrary UTF-16 strings parse or fail with ExpressionSyntaxError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), parsesOrFailsCleanly), { numRuns: 2000 });
  });

  it('strings built from expression tokens parse or fail with ExpressionSyntaxError', () => {
    fc.assert(fc.property(tokenSoup, parsesOrFailsCleanly), { numRuns: 3000 });
  });

  it('order-by clauses and attribute paths parse or fail with ExpressionSyntaxError', () => {
    const input = fc.oneof(tokenSoup, fc.string({ maxLength: 60 }));
    fc.assert(
      fc.property(input, (source) => {
        for (const parse of [parseOrderBy, parseAttributePath]) {
          try {
            parse(source);
          } catch (error) {
            expect(error).toBeInstanceOf(ExpressionSyntaxError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('evaluation of a valid expression never throws and never changes the scope', () => {
    const sources = [
      "a == 'x' OR b.c HAS 1 AND d[0] IN ['y', 2] OR e NOT IN [null]",
      "a CONTAINS 'x' AND b > 2 OR b.c <= 'q' OR a != null OR d[1][0] >= -1.5",
    ].map(parseExpression);
    const scopeKeys = fc.dictionary(fc.constantFrom('a', 'b', 'd', 'e', '__proto__', 'constructor'), fc.jsonValue());
    fc.assert(
      fc.property(scopeKeys, (scope) => {
        const before = JSON.stringify(scope);
        for (const expression of sources) expect(typeof evaluateExpression(expression, scope)).toBe('boolean');
        expect(JSON.stringify(scope)).toBe(before);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Round trip: random trees, rendered to text, must parse and evaluate as an independently written evaluator says.

type Scalar = string | number | boolean | null;
type ModelOperand = { literal: Scalar } | { list: Scalar[] } | { path: string; keys: string[] };
type ModelOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'HAS' | 'IN' | 'NOT IN';
type Model = { comparison: ModelOperator; left: ModelOperand; right: ModelOperand } | { all: Model[] } | { any: Model[] };

const PATHS: [string, string[]][] = [
  ['a', ['a']],
  ['b', ['b']],
  ['obj.s', ['obj', 's']],
  ['obj.n', ['obj', 'n']],
  ['list', ['list']],
  ['list[0]', ['list', '0']],
  ['list[1]', ['list', '1']],
  ['obj.list[1]', ['obj', 'list', '1']],
  ['missing', ['missing']],
  ['obj.missing.deeper', ['obj', 'missing', 'deeper']],
];

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constantFrom('en', 'fr', '', "it's", 'say "hi"', 'back\\slash', 'e'),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(0, 1, -1, 2.5, 10),
  fc.integer({ min: -100, max: 100 }).map((n) => n / 4),
  fc.boolean(),
  fc.constant(null),
);

const scopeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('s', 'n'), scalar) },
);

const scopeArbitrary = fc.record({
  a: scopeValue,
  b: scopeValue,
  list: fc.oneof(fc.array(scalar, { maxLength: 3 }), scopeValue),
  obj: fc.oneof(fc.record({ s: scopeValue, n: scopeValue, list: fc.oneof(fc.array(scopeValue, { maxLength: 3 }), scopeValue) }), scopeValue),
});

const operand: fc.Arbitrary<ModelOperand> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PATHS).map(([path, keys]) => ({ path, keys })) },
  { weight: 2, arbitrary: scalar.map((literal) => ({ literal })) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }).map((list) => ({ list })) },
);

const operator = fc.constantFrom<ModelOperator>('==', '!=', '<', '<=', '>', '>=', 'CONTAINS', 'HAS', 'IN', 'NOT IN');

const model: fc.Arbitrary<Model> = fc.letrec<{ node: Model }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ comparison: operator, left: operand, right: operand }),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((any) => ({ any })),
  ),
})).node;

/** How to spell things: the same tree has many valid renderings. */
interface Spelling {
  upper: boolean;
  singleQuotes: boolean;
  singleEquals: boolean;
  extraParens: boolean;
  space: string;
}

const spelling: fc.Arbitrary<Spelling> = fc.record({
  upper: fc.boolean(),
  singleQuotes: fc.boolean(),
  singleEquals: fc.boolean(),
  extraParens: fc.boolean(),
  space: fc.constantFrom(' ', '  ', '\t', '\n '),
});

function renderScalar(value: Scalar, style: Spelling): string {
  if (typeof value === 'string') {
    const quote = style.singleQuotes ? "'" : '"';
    return quote + value.replace(/\\/g, '\\\\').replaceAll(quote, '\\' + quote) + quote;
  }
  if (value === null) return style.upper ? 'NULL' : 'null';
  if (typeof value === 'boolean') return style.upper ? String(value).toUpperCase() : String(value);
  return String(value);
}

function renderOperand(value: ModelOperand, style: Spelling): string {
  if ('path' in value) return value.path;
  if ('list' in value) return '[' + value.list.map((item) => renderScalar(item, style)).join(',' + style.space) + ']';
  return renderScalar(value.literal, style);
}

function render(node: Model, style: Spelling): string {
  const s = style.space;
  if ('comparison' in node) {
    let op: string = node.comparison;
    if (op === '==' && style.singleEquals) op = '=';
    if (!style.upper) op = op.toLowerCase();
    return `${renderOperand(node.left, style)}${s}${op}${s}${renderOperand(node.right, style)}`;
  }
  const isAnd = 'all' in node;
  const children = isAnd ? node.all : node.any;
  const joiner = isAnd ? (style.upper ? 'AND' : 'and') : style.upper ? 'OR' : 'Or';
  return children
    .map((child) => {
      const text = render(child, style);
      // An OR inside an AND needs parentheses; anything else may have them.
      const needsParens = isAnd && 'any' in child;
      return needsParens || (style.extraParens && !('comparison' in child && !isAnd)) ? `(${s}${text}${s})` : text;
    })
    .join(`${s}${joiner}${s}`);
}

function resolveModel(keys: string[], scope: unknown): unknown {
  let value = scope;
  for (const key of keys) {
    if (Array.isArray(value)) {
      value = /^(0|[1-9]\d*)$/.test(key) ? value[Number(key)] : undefined;
    } else if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key)) {
      value = (value as Record<string, unknown>)[key];
    } else {
      value = undefined;
    }
    if (value === undefined) return null;
  }
  return value ?? null;
}

function kind(value: unknown): 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'object';
}

function isScalarKind(value: unknown): boolean {
  const k = kind(value);
  return k === 'string' || k === 'number' || k === 'boolean';
}

function member(value: unknown, list: unknown[]): boolean {
  return isScalarKind(value) && list.some((item) => kind(item) === kind(value) && item === value);
}

function expected(node: Model, scope: Record<string, unknown>): boolean {
  if ('all' in node) return node.all.every((child) => expected(child, scope));
  if ('any' in node) return node.any.some((child) => expected(child, scope));
  const valueOf = (o: ModelOperand): unknown => ('path' in o ? resolveModel(o.keys, scope) : 'list' in o ? o.list : o.literal);
  const left = valueOf(node.left);
  const right = valueOf(node.right);
  const l = kind(left);
  const r = kind(right);
  switch (node.comparison) {
    case '==':
      if (l === 'null' || r === 'null') return l === r;
      return isScalarKind(left) && l === r && left === right;
    case '!=':
      if (l === 'null' || r === 'null') return l !== r;
      return isScalarKind(left) && l === r && left !== right;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (l !== r || (l !== 'number' && l !== 'string')) return false;
      const a = left as string | number;
      const b = right as string | number;
      if (node.comparison === '<') return a < b;
      if (node.comparison === '<=') return a <= b;
      if (node.comparison === '>') return a > b;
      return a >= b;
    }
    case 'CONTAINS':
      return l === 'string' && r === 'string' && (left as string).indexOf(right as string) !== -1;
    case 'HAS':
      return l === 'array' && member(right, left as unknown[]);
    case 'IN':
      return r === 'array' && member(left, right as unknown[]);
    case 'NOT IN':
      return r === 'array' && (l === 'null' || (isScalarKind(left) && !member(left, right as unknown[])));
  }
}

describe('round trip of well-formed expressions', () => {
  it('renders, parses and evaluates as the model says', () => {
    fc.assert(
      fc.property(model, spelling, fc.array(scopeArbitrary, { minLength: 1, maxLength: 4 }), (tree, style, scopes) => {
        const source = render(tree, style);
        const expression = parseExpression(source);
        for (const scope of scopes) expect(evaluateExpression(expression, scope)).toBe(expected(tree, scope));
      }),
      { numRuns: 2000 },
    );
  });

  it('lists exactly the paths the tree reads', () => {
    fc.assert(
      fc.property(model, spelling, (tree, style) => {
        const reads = new Set<string>();
        const collect = (node: Model): void => {
          if ('all' in node) node.all.forEach(collect);
          else if ('any' in node) node.any.forEach(collect);
          else for (const o of [node.left, node.right]) if ('path' in o) reads.add(o.keys.join('.'));
        };
        collect(tree);
        const listed = referencedPaths(parseExpression(render(tree, style))).map((path) => path.join('.'));
        expect(new Set(listed)).toEqual(reads);
        expect(listed.length).toBe(reads.size);
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------

function expectSyntaxError(source: string): void {
  let caught: unknown;
  try {
    parseExpression(source);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ExpressionSyntaxError);
}

describe('hostile sizes', () => {
  it('nesting beyond the limit is a syntax error, not a stack overflow', () => {
    const opener = fc.constantFrom('(', '( ', '(1==1 AND ', '(1==1 OR (', '((');
    fc.assert(
      fc.property(opener, fc.integer({ min: 65, max: 5000 }), fc.boolean(), (open, depth, closed) => {
        expectSyntaxError(open.repeat(depth) + '1==1' + (closed ? ')'.repeat(depth) : ''));
      }),
      { numRuns: 200 },
    );
  });

  it('other repeated openers and operators are syntax errors', () => {
    const piece = fc.constantFrom('[', 'NOT ', 'a.', "'", 'a IN [', '-', '== ', 'AND ');
    fc.assert(
      fc.property(piece, fc.integer({ min: 1, max: 20_000 }), (p, count) => {
        expectSyntaxError(p.repeat(count));
      }),
      { numRuns: 200 },
    );
  });

  it('input longer than 16384 characters is a syntax error, whatever it holds', () => {
    fc.assert(
      fc.property(fc.constantFrom('1==1 OR ', 'a', ' ', '(', "'", 'x == [1,'), fc.integer({ min: 0, max: 50_000 }), (p, extra) =>
        expectSyntaxError(p.repeat(Math.ceil((16_385 + extra) / p.length))),
      ),
      { numRuns: 100 },
    );
  });

  it('the longest accepted chains and nestings parse and evaluate', () => {
    const chain = Array.from({ length: 1600 }, () => 'a==1').join(' OR ');
    expect(chain.length).toBeLessThanOrEqual(16_384);
    expect(evaluateExpression(parseExpression(chain), { a: 1 })).toBe(true);
    const nested = '(a==1 AND '.repeat(63) + '(a==1)' + ')'.repeat(63);
    expect(evaluateExpression(parseExpression(nested), { a: 1 })).toBe(true);
  });
});
