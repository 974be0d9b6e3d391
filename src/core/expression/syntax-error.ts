import { TwilioError } from '../errors.js';

/** Longest stretch of expression text quoted in an error message. */
const QUOTED_TEXT_LIMIT = 80;

/**
 * An expression (or order-by clause, or attribute path) that cannot be parsed. Answered as HTTP 400 with Twilio code
 * 20001, like any other invalid parameter.
 */
export class ExpressionSyntaxError extends TwilioError {
  constructor(
    /** The text that failed to parse. */
    readonly expression: string,
    /** 0-based character offset of the problem; the text length when the text ended too early. */
    readonly position: number,
    /** What is wrong, without the expression text, e.g. `unexpected 'AND'`. */
    readonly reason: string,
  ) {
    const quoted = quoteAround(expression, position);
    super(20001, 400, `Invalid expression "${quoted}": ${reason} at position ${position} (0-based)`);
    this.name = 'ExpressionSyntaxError';
  }

  /** The reason and position without the expression text, for callers that name the expression's location instead. */
  get detail(): string {
    return `${this.reason} at position ${this.position} (0-based)`;
  }

  /** The expression text as quoted in the message: whole, or a window around the problem when it is long. */
  get excerpt(): string {
    return quoteAround(this.expression, this.position);
  }
}

/** The expression text, cut down to a window around `position` when it is too long to quote whole. */
function quoteAround(text: string, position: number): string {
  if (text.length <= QUOTED_TEXT_LIMIT) return text;
  const start = Math.max(0, Math.min(position - QUOTED_TEXT_LIMIT / 2, text.length - QUOTED_TEXT_LIMIT));
  const end = start + QUOTED_TEXT_LIMIT;
  return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
}
