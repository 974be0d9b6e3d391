import { ExpressionSyntaxError } from './syntax-error.js';

/** Bare words with a meaning of their own; matched case-insensitively and only when they are a whole, undotted word. */
export type Keyword = 'AND' | 'OR' | 'NOT' | 'IN' | 'HAS' | 'CONTAINS' | 'TRUE' | 'FALSE' | 'NULL';

const KEYWORDS: ReadonlySet<string> = new Set<Keyword>(['AND', 'OR', 'NOT', 'IN', 'HAS', 'CONTAINS', 'TRUE', 'FALSE', 'NULL']);

/** Symbolic comparison operators, with `=` already folded into `==`. */
export type SymbolOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** One lexical unit of expression text. */
export type Token = Span &
  (
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'number'; readonly value: number }
    | { readonly kind: 'word'; readonly path: string[]; readonly keyword: Keyword | null }
    | { readonly kind: 'operator'; readonly operator: SymbolOperator }
    | { readonly kind: '(' | ')' | '[' | ']' | ',' | 'end' }
  );

/**
 * Splits expression text into tokens on demand, so that the first problem in reading order is the one reported, whether
 * it is lexical or grammatical. A key path (`a.b[2]`) is a single token: whitespace inside it is not allowed.
 */
export class Lexer {
  private offset = 0;

  constructor(readonly source: string) {}

  /** The next token; an `end` token once the text is used up (and on every later call). */
  next(): Token {
    const text = this.source;
    let i = this.offset;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    if (i >= text.length) {
      this.offset = i;
      return { kind: 'end', start, end: start };
    }
    const c = text.charCodeAt(i);
    let token: Token;
    if (c === QUOTE || c === DOUBLE_QUOTE) token = this.string(start);
    else if (isDigit(c) || (c === MINUS && isDigit(text.charCodeAt(i + 1)))) token = this.number(start);
    else if (isWordStart(c)) token = this.word(start);
    else token = this.symbol(start, c);
    this.offset = token.end;
    return token;
  }

  private fail(position: number, reason: string): never {
    throw new ExpressionSyntaxError(this.source, position, reason);
  }

  private string(start: number): Token {
    const text = this.source;
    const quote = text.charCodeAt(start);
    let value = '';
    let chunkStart = start + 1;
    let i = chunkStart;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        value += text.slice(chunkStart, i);
        return { kind: 'string', value, start, end: i + 1 };
      }
      if (c === BACKSLASH) {
        value += text.slice(chunkStart, i);
        if (i + 1 >= text.length) break;
        const [unescaped, length] = this.escape(i);
        value += unescaped;
        i += length;
        chunkStart = i;
        continue;
      }
      i++;
    }
    return this.fail(start, 'unterminated string');
  }

  /** Decodes the escape sequence starting at the backslash at `at`; returns its value and its length in the text. */
  private escape(at: number): [string, number] {
    const text = this.source;
    const c = text[at + 1]!;
    switch (c) {
      case 'n':
        return ['\n', 2];
      case 't':
        return ['\t', 2];
      case 'r':
        return ['\r', 2];
      case 'b':
        return ['\b', 2];
      case 'f':
        return ['\f', 2];
      case 'u': {
        const hex = text.slice(at + 2, at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(at, 'invalid \\u escape');
        return [String.fromCharCode(parseInt(hex, 16)), 6];
      }
      default:
        // Quotes, backslashes and anything else stand for themselves, so `\'` and `\\` work in either quote style.
        return [c, 2];
    }
  }

  private number(start: number): Token {
    const text = this.source;
    let i = start;
    if (text.charCodeAt(i) === MINUS) i++;
    while (isDigit(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === DOT) {
      if (!isDigit(text.charCodeAt(i + 1))) this.fail(i, `unexpected '.' in number`);
      i++;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const after = text.charCodeAt(i);
    if (isWordPart(after) || after === DOT) this.fail(i, `unexpected ${describeChar(text, i)} after number`);
    const value = Number(text.slice(start, i));
    if (!Number.isFinite(value)) this.fail(start, 'number out of range');
    return { kind: 'number', value, start, end: i };
  }

  private word(start: number): Token {
    const text = this.source;
    const path: string[] = [];
    let i = start + 1;
    while (isWordPart(text.charCodeAt(i))) i++;
    path.push(text.slice(start, i));
    let dotted = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === DOT) {
        const segmentStart = i + 1;
        let j = segmentStart;
        while (isWordPart(text.charCodeAt(j))) j++;
        if (j === segmentStart) this.fail(segmentStart, `unexpected ${describeChar(text, segmentStart)} after '.'`);
        path.push(text.slice(segmentStart, j));
        i = j;
        dotted = true;
      } else if (c === OPEN_BRACKET) {
        const digitsStart = i + 1;
        let j = digitsStart;
        while (isDigit(text.charCodeAt(j))) j++;
        if (j === digitsStart) {
          this.fail(digitsStart, `unexpected ${describeChar(text, digitsStart)}, expected an index`);
        }
        if (text.charCodeAt(j) !== CLOSE_BRACKET) this.fail(j, `unexpected ${describeChar(text, j)}, expected ']'`);
        // `[02]` and `[2]` name the same element.
        path.push(text.slice(digitsStart, j).replace(/^0+(?=\d)/, ''));
        i = j + 1;
        dotted = true;
      } else {
        break;
      }
    }
    if (text.charCodeAt(i) === MINUS) this.fail(i, `unexpected '-' (hyphens are not allowed in attribute names)`);
    const upper = path[0]!.toUpperCase();
    const keyword = !dotted && KEYWORDS.has(upper) ? (upper as Keyword) : null;
    return { kind: 'word', path, keyword, start, end: i };
  }

  private symbol(start: number, c: number): Token {
    const next = this.source.charCodeAt(start + 1);
    switch (c) {
      case EQUALS:
        return { kind: 'operator', operator: '==', start, end: next === EQUALS ? start + 2 : start + 1 };
      case BANG:
        if (next === EQUALS) return { kind: 'operator', operator: '!=', start, end: start + 2 };
        break;
      case LESS:
        return next === EQUALS ? { kind: 'operator', operator: '<=', start, end: start + 2 } : { kind: 'operator', operator: '<', start, end: start + 1 };
      case GREATER:
        return next === EQUALS ? { kind: 'operator', operator: '>=', start, end: start + 2 } : { kind: 'operator', operator: '>', start, end: start + 1 };
      case OPEN_PAREN:
        return { kind: '(', start, end: start + 1 };
      case CLOSE_PAREN:
        return { kind: ')', start, end: start + 1 };
      case OPEN_BRACKET:
        return { kind: '[', start, end: start + 1 };
      case CLOSE_BRACKET:
        return { kind: ']', start, end: start + 1 };
      case COMMA:
        return { kind: ',', start, end: start + 1 };
    }
    return this.fail(start, `unexpected ${describeChar(this.source, start)}`);
  }
}

/** How a token is named in error messages: its text, quoted and shortened, or "end of expression". */
export function describeToken(source: string, token: Token): string {
  if (token.kind === 'end') return 'end of expression';
  const text = source.slice(token.start, token.end);
  return `'${text.length > 24 ? text.slice(0, 23) + '…' : text}'`;
}

function describeChar(text: string, at: number): string {
  if (at >= text.length) return 'end of expression';
  const codePoint = text.codePointAt(at)!;
  return `'${String.fromCodePoint(codePoint)}'`;
}

const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DOT = 0x2e;
const EQUALS = 0x3d;
const BANG = 0x21;
const LESS = 0x3c;
const GREATER = 0x3e;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isWordStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c);
}
