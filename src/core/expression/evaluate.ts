import type { Comparison, ComparisonOperator, Expression, Operand, PathOperand } from './ast.js';

/**
 * Evaluates a parsed expression against `scope`, e.g. `{ task: {...}, worker: {...} }` or a task's attributes.
 *
 * A path that leads nowhere reads as null. Comparisons between values of different types are false, except that null
 * equals only null; scalar operators on arrays and array operators on non-arrays are false. Never throws and never
 * modifies `scope`: an expression that cannot be satisfied is simply false.
 */
export function evaluateExpression(expr: Expression, scope: Record<string, unknown>): boolean {
  try {
    return holds(expr, scope);
  } catch {
    // Only an exotic scope (a throwing getter or proxy) can get here; such a scope matches nothing.
    return false;
  }
}

function holds(expr: Expression, scope: Record<string, unknown>): boolean {
  switch (expr.kind) {
    case 'comparison':
      return compares(expr, scope);
    case 'and':
      for (const operand of expr.operands) if (!holds(operand, scope)) return false;
      return true;
    case 'or':
      for (const operand of expr.operands) if (holds(operand, scope)) return true;
      return false;
  }
}

function compares(comparison: Comparison, scope: Record<string, unknown>): boolean {
  return applies(comparison.operator, valueOf(comparison.left, scope), valueOf(comparison.right, scope));
}

function valueOf(operand: Operand, scope: Record<string, unknown>): unknown {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'list':
      return operand.items;
    case 'path':
      return resolve(operand, scope);
  }
}

/** Follows a key path through plain objects and arrays; anything missing along the way reads as null. */
function resolve(operand: PathOperand, scope: Record<string, unknown>): unknown {
  const { path, indexes } = operand;
  let current: unknown = scope;
  for (let i = 0; i < path.length; i++) {
    if (current === null || typeof current !== 'object') return null;
    if (Array.isArray(current)) {
      const index = indexes[i]!;
      if (index < 0 || index >= current.length) return null;
      current = current[index];
    } else {
      // Own properties only: `constructor` or `__proto__` must not reach into the prototype chain.
      const key = path[i]!;
      if (!Object.hasOwn(current, key)) return null;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return current === undefined ? null : current;
}

function applies(operator: ComparisonOperator, left: unknown, right: unknown): boolean {
  switch (operator) {
    case '==':
      if (left === null || right === null) return left === right;
      return sameScalar(left, right);
    case '!=':
      if (left === null || right === null) return left !== right;
      return isScalar(left) && typeof left === typeof right && left !== right;
    case '<':
      return ordered(left, right) && (left as number) < (right as number);
    case '<=':
      return ordered(left, right) && (left as number) <= (right as number);
    case '>':
      return ordered(left, right) && (left as number) > (right as number);
    case '>=':
      return ordered(left, right) && (left as number) >= (right as number);
    case 'CONTAINS':
      return typeof left === 'string' && typeof right === 'string' && left.includes(right);
    case 'HAS':
      return Array.isArray(left) && isMember(right, left);
    case 'IN':
      return Array.isArray(right) && isMember(left, right);
    case 'NOT IN':
      // A missing value is in no list, so it is "not in" every list; an array on the left is no scalar at all.
      return Array.isArray(right) && (left === null || (isScalar(left) && !isMember(left, right)));
  }
}

/** Numbers, strings and booleans. Null is handled separately by every operator. */
function isScalar(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/** Equal non-null scalars of the same type; no coercion between strings and numbers. */
function sameScalar(left: unknown, right: unknown): boolean {
  return left === right && isScalar(left);
}

/** Both numbers or both strings: the pairs `<` and `>` are defined on. */
function ordered(left: unknown, right: unknown): boolean {
  const type = typeof left;
  return (type === 'number' || type === 'string') && typeof right === type;
}

/** Whether a non-null scalar occurs in `list`; null is never a member of anything. */
function isMember(value: unknown, list: readonly unknown[]): boolean {
  if (!isScalar(value)) return false;
  for (const item of list) if (item === value) return true;
  return false;
}
