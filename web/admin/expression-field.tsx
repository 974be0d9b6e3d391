import { useId } from 'preact/hooks';
import { ExpressionSyntaxError, parseExpression } from '../../src/core/expression/index.ts';

/** Where an expression fails to parse, by the server's own parser; null when it parses (or is empty and `optional`). */
export function expressionProblem(source: string, optional = false): ExpressionSyntaxError | null {
  if (optional && source.trim() === '') return null;
  try {
    parseExpression(source);
    return null;
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return err;
    throw err;
  }
}

/**
 * A text field for a TaskRouter expression, checked as it is typed with the parser the server uses: a syntax error is
 * announced with its position, and the expression is shown again with the offending column marked.
 */
export function ExpressionField(props: { label: string; value: string; onInput: (value: string) => void; optional?: boolean; name?: string }) {
  const problem = expressionProblem(props.value, props.optional);
  const errorId = useId();
  return (
    <div class="expression-field">
      <label>
        {props.label}
        <input
          name={props.name}
          class="mono"
          spellcheck={false}
          autoComplete="off"
          value={props.value}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      </label>
      {problem && (
        <div id={errorId} class="expression-error" role="alert">
          <span>
            {problem.reason} at column {problem.position + 1}
          </span>
          <code class="mono" aria-hidden="true">
            {problem.expression.slice(0, problem.position)}
            <mark>{problem.expression.slice(problem.position, problem.position + 1) || ' '}</mark>
            {problem.expression.slice(problem.position + 1)}
          </code>
        </div>
      )}
    </div>
  );
}
