/**
 * The TaskRouter expression language: parsing, evaluation and inspection of the expressions used in TaskQueue
 * `TargetWorkers`, workflow filters and targets, `skip_if` and `order_by`.
 */
export type {
  Comparison,
  ComparisonOperator,
  Conjunction,
  Disjunction,
  Expression,
  ListOperand,
  LiteralOperand,
  Operand,
  PathOperand,
  ScalarValue,
} from './ast.js';
export { ExpressionSyntaxError } from './syntax-error.js';
export { MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH, parseAttributePath, parseExpression, parseOrderBy, type OrderByKey } from './parser.js';
export { evaluateExpression } from './evaluate.js';
export { referencedPaths } from './referenced-paths.js';
