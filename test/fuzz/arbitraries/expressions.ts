import fc from 'fast-check';

/**
 * Expression text in TaskRouter's language: token soups (every token, glued or spaced, in any order), grammar-shaped
 * expressions that are valid by construction, and pathological shapes (deep nesting, long chains, huge literals).
 */

const TOKENS = [
  'AND',
  'and',
  'OR',
  'Or',
  'NOT',
  'IN',
  'in',
  'HAS',
  'CONTAINS',
  'contains',
  'NOT IN',
  'true',
  'FALSE',
  'null',
  'NULL',
  '==',
  '=',
  '!=',
  '!',
  '<',
  '<=',
  '>',
  '>=',
  '=>',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  "'",
  '"',
  '\\',
  "'x'",
  '"y"',
  "'\\u00e9'",
  "'\\u12'",
  "'a\\'b'",
  '-',
  '1',
  '-2',
  '3.5',
  '1.',
  '.5',
  '1e5',
  '007',
  '99999999999999999999',
  '1'.repeat(400),
  'a',
  'b.c',
  'd[0]',
  'd[00]',
  'e.f[1].g',
  'task.x',
  'worker.y',
  'taskrouter.dayOfWeek',
  'my-attr',
  '$x',
  '_',
  'x[',
  'x[]',
  'x[a]',
  'x.',
  ' ',
  '\n',
  '\t',
  '\u00a0',
  '\u2028',
  '#',
  'é',
  '😀',
  '\u0000',
  '1==1',
];

/** Any sequence of tokens, glued together or spaced. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom('', ' ', '  ', '\t')), { maxLength: 60 })
  .map((parts) => parts.map(([token, gap]) => token + gap).join(''));

const KEYS = ['a', 'b', 'skills', 'level', 'name', 'list', 'x', '__proto__', 'constructor', 'length', 'toString'];

const path = fc.oneof(
  fc.constantFrom(...KEYS),
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...KEYS)).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.constantFrom(...KEYS), fc.nat(3)).map(([a, i]) => `${a}[${i}]`),
  fc.tuple(fc.constantFrom('task', 'worker'), fc.constantFrom(...KEYS)).map(([a, b]) => `${a}.${b}`),
);

const scalar = fc.oneof(
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => (Number.isInteger(d) ? String(d) : d.toFixed(3))),
  fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', 'TRUE', 'Null'),
);

const operand = fc.oneof(
  { weight: 3, arbitrary: path },
  { weight: 3, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`) },
);
const operator = fc.constantFrom('==', '=', '!=', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'HAS', 'CONTAINS', 'in', 'has', 'contains', 'not in');

const comparison = fc.tuple(operand, operator, operand).map(([l, op, r]) => `${l} ${op} ${r}`);

/** Expressions valid by construction: comparisons joined with AND/OR, parenthesised at random, nested up to 5 deep. */
export const grammarExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('expr'), fc.constantFrom('AND', 'OR', 'and', 'or'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('expr').map((e) => `(${e})`),
  ),
})).expr;

/** A valid expression and one of its two halves glued by AND or OR, for checking evaluation against its parts. */
export const combined: fc.Arbitrary<{ left: string; right: string; op: 'AND' | 'OR' }> = fc.record({
  left: grammarExpression,
  right: grammarExpression,
  op: fc.constantFrom('AND' as const, 'OR' as const),
});

/** Shapes that test the parser's bounds: nesting deep and shallow, long chains and lists, huge literals. */
export const pathological: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((n) => '('.repeat(n) + '1==1' + ')'.repeat(n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '('.repeat(n)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => Array.from({ length: n }, (_, i) => `a${i} == ${i}`).join(' AND ')),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `x IN [${Array.from({ length: n }, (_, i) => i).join(',')}]`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `x == '${'\\'.repeat(n)}'`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${'a.'.repeat(n)}b == 1`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `a${'[0]'.repeat(n)} == 1`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `x == ${'9'.repeat(n)}`),
  fc.integer({ min: 16_380, max: 16_400 }).map((n) => `x == '${'y'.repeat(Math.max(0, n - 7))}'`),
);

/** Attribute objects: the keys expressions read, with values of every JSON type, and prototype-named keys. */
export const attributes: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...KEYS, 'task', 'worker'),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom(...KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })),
  { maxKeys: 6 },
);
