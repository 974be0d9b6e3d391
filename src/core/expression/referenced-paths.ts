import type { Expression, Operand } from './ast.js';

/**
 * Every key path the expression reads, once each, in order of first appearance, e.g.
 * `[['task', 'skills'], ['worker', 'sid']]`. The arrays are copies the caller may keep or change.
 */
export function referencedPaths(expr: Expression): string[][] {
  const seen = new Set<string>();
  const paths: string[][] = [];
  const visitOperand = (operand: Operand): void => {
    if (operand.kind !== 'path') return;
    // Keys cannot contain NUL, so joining on it cannot make two different paths collide.
    const key = operand.path.join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    paths.push([...operand.path]);
  };
  const pending: Expression[] = [expr];
  // A work list rather than recursion: the parser bounds depth, but this way the walk is safe on any tree.
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === 'comparison') {
      visitOperand(node.left);
      visitOperand(node.right);
    } else {
      for (let i = node.operands.length - 1; i >= 0; i--) pending.push(node.operands[i]!);
    }
  }
  return paths;
}
