import { ExpressionSyntaxError, parseExpression, type Expression } from '../../core/expression/index.js';
import { badRequest } from '../../core/errors.js';

/**
 * Parses an expression given as a list filter, so a syntax error is a 400 naming the parameter rather than a
 * failure halfway through filtering.
 */
export function compiledExpression(source: string, name: string): Expression {
  try {
    return parseExpression(source);
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) throw badRequest(`${name} is not a valid expression: ${err.detail}`);
    throw err;
  }
}
