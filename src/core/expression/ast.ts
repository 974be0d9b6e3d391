/**
 * Syntax tree of a TaskRouter expression. Nodes are plain data so a parsed expression can be cached, shared between
 * evaluations and inspected (for instance to list the attributes it reads) without re-parsing.
 */

/** A literal value that can appear on either side of a comparison or inside an array literal. */
export type ScalarValue = string | number | boolean | null;

/** A literal scalar: `'gold'`, `5.1`, `true`, `null`. */
export interface LiteralOperand {
  readonly kind: 'literal';
  readonly value: ScalarValue;
}

/** An array literal: `['en', "es", 1]`. Items are scalars only. */
export interface ListOperand {
  readonly kind: 'list';
  readonly items: readonly ScalarValue[];
}

/** A key reference such as `task.skills[2]`, resolved against the evaluation scope. */
export interface PathOperand {
  readonly kind: 'path';
  /** Keys from the outermost object inwards; an index `[2]` is the key `'2'`. */
  readonly path: readonly string[];
  /**
   * For each key, the array index it denotes, or -1 when it is not a canonical non-negative integer. Worked out at
   * parse time so resolving a path never has to inspect key text.
   */
  readonly indexes: readonly number[];
}

/** Anything that yields a value inside a comparison. */
export type Operand = LiteralOperand | ListOperand | PathOperand;

/** Comparison operators, normalised: `=` is stored as `==`, keywords upper-case. */
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'HAS' | 'IN' | 'NOT IN';

/** `left <operator> right`: the only kind of term that yields a truth value on its own. */
export interface Comparison {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: Operand;
  readonly right: Operand;
}

/** True when every operand is true. Chains are kept flat so long expressions do not produce deep trees. */
export interface Conjunction {
  readonly kind: 'and';
  readonly operands: readonly Expression[];
}

/** True when any operand is true. */
export interface Disjunction {
  readonly kind: 'or';
  readonly operands: readonly Expression[];
}

/** A parsed TaskRouter expression. Parentheses leave no node of their own: they only shape the tree. */
export type Expression = Comparison | Conjunction | Disjunction;
