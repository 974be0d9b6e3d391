import { KIND_LABELS } from './declared.js';
import type { Plan, PlanStep } from './plan.js';

/**
 * A plan as people read it, one object a line and one changed setting a line below it:
 * `+ create task queue 'Spanish support' in 'Support line'`, `~ update worker 'Alice' in 'Support line'`,
 * `    attributes: {"skills":["en"]} → {"skills":["en","es"]}`.
 */
export function planText(plan: Plan): string {
  const lines = plan.steps.flatMap(stepLines);
  const count = (action: PlanStep['action']) => plan.steps.filter((s) => s.action === action).length;
  const deletes = count('delete');
  const summary = `${count('create')} to create, ${count('update')} to update, ${deletes > 0 ? `${deletes} to delete, ` : ''}${plan.unchanged} unchanged`;
  return [...(lines.length === 0 ? [`${plan.file}: nothing to change`] : lines), summary].join('\n');
}

const MARKS: Record<PlanStep['action'], string> = { create: '+', update: '~', delete: '-' };

function stepLines(step: PlanStep): string[] {
  const where = step.workspace ? ` in '${step.workspace}'` : '';
  const head = `${MARKS[step.action]} ${step.action} ${KIND_LABELS[step.kind]} '${step.name}'${where}`;
  return [head, ...step.changes.map((c) => `    ${c.field}: ${'from' in c ? `${shown(c.from)} → ` : ''}${shown(c.to)}`)];
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
