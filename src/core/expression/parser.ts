import type { ComparisonOperator, Expression, Operand, PathOperand, ScalarValue } from './ast.js';
import { Lexer, describeToken, type Token } from './lexer.js';
import { ExpressionSyntaxError } from './syntax-error.js';

/** Longest expression text accepted; longer text is rejected before any parsing work. */
export const MAX_EXPRESSION_LENGTH = 16_384;

/** Deepest parenthesis nesting accepted; bounds recursion so hostile input cannot overflow the stack. */
export const MAX_NESTING_DEPTH = 64;

/** One key of an order-by clause. */
export interface OrderByKey {
  /** Attribute path, e.g. `['worker', 'english_level']`. */
  path: string[];
  /** Sort direction; `ASC` when the clause does not say. */
  direction: 'ASC' | 'DESC';
}

/**
 * Parses a TaskRouter expression such as `(skills HAS 'support') AND language IN ['en', 'es']`.
 *
 * @throws ExpressionSyntaxError when the text is empty, too long, too deeply nested or not a valid expression.
 */
export function parseExpression(source: string): Expression {
  const parser = new Parser(source);
  const expression = parser.disjunction(0);
  parser.expectEnd('AND, OR or end of expression');
  return expression;
}

/**
 * Parses an order-by clause: comma-separated attribute paths, each optionally followed by `ASC` or `DESC`
 * (case-insensitive), e.g. `worker.english_level ASC, worker.tenure DESC`.
 *
 * @throws ExpressionSyntaxError when the clause is empty or malformed.
 */
export function parseOrderBy(source: string): OrderByKey[] {
  const parser = new Parser(source);
  const keys: OrderByKey[] = [];
  for (;;) {
    const path = parser.path();
    let direction: 'ASC' | 'DESC' = 'ASC';
    const word = parser.peek();
    if (word.kind === 'word' && word.path.length === 1) {
      const upper = word.path[0]!.toUpperCase();
      if (upper === 'ASC' || upper === 'DESC') {
        direction = upper;
        parser.advance();
      }
    }
    keys.push({ path, direction });
    if (parser.peek().kind !== ',') break;
    parser.advance();
  }
  parser.expectEnd("',', ASC, DESC or end of clause");
  return keys;
}

/**
 * Parses a single attribute path: `task.agent_sid` → `['task', 'agent_sid']`, `a.b[2]` → `['a', 'b', '2']`.
 *
 * @throws ExpressionSyntaxError when the text is not exactly one path.
 */
export function parseAttributePath(source: string): string[] {
  const parser = new Parser(source);
  const path = parser.path();
  parser.expectEnd('end of attribute path');
  return path;
}

/** Recursive-descent parser over a token stream with one token of lookahead. */
class Parser {
  private readonly lexer: Lexer;
  private token: Token;

  constructor(private readonly source: string) {
    if (source.length > MAX_EXPRESSION_LENGTH) {
      throw new ExpressionSyntaxError(source, MAX_EXPRESSION_LENGTH, `longer than ${MAX_EXPRESSION_LENGTH} characters`);
    }
    this.lexer = new Lexer(source);
    this.token = this.lexer.next();
    if (this.token.kind === 'end') throw new ExpressionSyntaxError(source, this.token.start, 'empty expression');
  }

  peek(): Token {
    return this.token;
  }

  advance(): void {
    this.token = this.lexer.next();
  }

  fail(token: Token, expected?: string): never {
    const found = `unexpected ${describeToken(this.source, token)}`;
    throw new ExpressionSyntaxError(this.source, token.start, expected ? `${found}, expected ${expected}` : found);
  }

  expectEnd(expected: string): void {
    if (this.token.kind !== 'end') this.fail(this.token, expected);
  }

  /** `conjunction (OR conjunction)*` */
  disjunction(depth: number): Expression {
    const first = this.conjunction(depth);
    if (!this.atKeyword('OR')) return first;
    const operands = [first];
    while (this.atKeyword('OR')) {
      this.advance();
      operands.push(this.conjunction(depth));
    }
    return { kind: 'or', operands };
  }

  /** `term (AND term)*` */
  private conjunction(depth: number): Expression {
    const first = this.term(depth);
    if (!this.atKeyword('AND')) return first;
    const operands = [first];
    while (this.atKeyword('AND')) {
      this.advance();
      operands.push(this.term(depth));
    }
    return { kind: 'and', operands };
  }

  /** `'(' disjunction ')'` or `operand operator operand` */
  private term(depth: number): Expression {
    const open = this.token;
    if (open.kind === '(') {
      if (depth >= MAX_NESTING_DEPTH) {
        throw new ExpressionSyntaxError(this.source, open.start, `nested deeper than ${MAX_NESTING_DEPTH} levels`);
      }
      this.advance();
      const inner = this.disjunction(depth + 1);
      if (this.token.kind !== ')') this.fail(this.token, "')', AND or OR");
      this.advance();
      return inner;
    }
    const left = this.operand("a value, attribute or '('");
    const operator = this.operator();
    const right = this.operand('a value or attribute');
    return { kind: 'comparison', operator, left, right };
  }

  private operator(): ComparisonOperator {
    const token = this.token;
    if (token.kind === 'operator') {
      this.advance();
      return token.operator;
    }
    if (token.kind === 'word') {
      switch (token.keyword) {
        case 'IN':
        case 'HAS':
        case 'CONTAINS':
          this.advance();
          return token.keyword;
        case 'NOT':
          this.advance();
          // NOT exists only as half of NOT IN; there is no negation of a whole term.
          if (!this.atKeyword('IN')) {
            throw new ExpressionSyntaxError(this.source, token.start, "unexpected 'NOT' (only NOT IN is supported)");
          }
          this.advance();
          return 'NOT IN';
      }
    }
    return this.fail(token, 'a comparison operator');
  }

  private operand(expected: string): Operand {
    const token = this.token;
    switch (token.kind) {
      case 'string':
      case 'number':
        this.advance();
        return { kind: 'literal', value: token.value };
      case 'word': {
        const constant = keywordConstant(token);
        if (constant !== undefined) {
          this.advance();
          return { kind: 'literal', value: constant };
        }
        if (token.keyword !== null) break;
        this.advance();
        return pathOperand(token.path);
      }
      case '[':
        return this.list();
    }
    return this.fail(token, expected);
  }

  /** `'[' (scalar (',' scalar)*)? ']'` */
  private list(): Operand {
    this.advance();
    const items: ScalarValue[] = [];
    if (this.token.kind === ']') {
      this.advance();
      return { kind: 'list', items };
    }
    for (;;) {
      items.push(this.scalar());
      const token = this.token;
      if (token.kind === ']') {
        this.advance();
        return { kind: 'list', items };
      }
      if (token.kind !== ',') this.fail(token, "',' or ']'");
      this.advance();
    }
  }

  private scalar(): ScalarValue {
    const token = this.token;
    if (token.kind === 'string' || token.kind === 'number') {
      this.advance();
      return token.value;
    }
    if (token.kind === 'word') {
      const constant = keywordConstant(token);
      if (constant !== undefined) {
        this.advance();
        return constant;
      }
    }
    return this.fail(token, 'a string, number, true, false or null');
  }

  /** A key path that is not a keyword. */
  path(): string[] {
    const token = this.token;
    if (token.kind !== 'word' || token.keyword !== null) this.fail(token, 'an attribute path');
    this.advance();
    return token.path;
  }

  private atKeyword(keyword: 'AND' | 'OR' | 'IN'): boolean {
    return this.token.kind === 'word' && this.token.keyword === keyword;
  }
}

function keywordConstant(token: Token & { kind: 'word' }): ScalarValue | undefined {
  switch (token.keyword) {
    case 'TRUE':
      return true;
    case 'FALSE':
      return false;
    case 'NULL':
      return null;
    default:
      return undefined;
  }
}

function pathOperand(path: string[]): PathOperand {
  return { kind: 'path', path, indexes: path.map(arrayIndex) };
}

/** The array index a key denotes: only canonical non-negative integers do (`'2'`, not `'02'` or `'length'`). */
function arrayIndex(key: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(key)) return -1;
  const index = Number(key);
  return Number.isSafeInteger(index) ? index : -1;
}
