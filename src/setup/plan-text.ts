import { KIND_LABELS } from './declared.js';
import type { Plan, PlanStep } from './plan.js';

/**
 * A plan as people read it, one object a line and one changed setting a line below it:
 * `+ create task queue 'Spanish support' in 'Support line'`, `~ update worker 'Alice' in 'Support line'`,
 * `    attributes: {"skills":["en"]} → {"skills":["en","es"]}`.
 */
export function planText(plan: Plan): string {
  const lines = plan.steps.flatMap(stepLines);
  const creates = plan.steps.filter((s) => s.action === 'create').length;
  const summary = `${creates} to create, ${plan.steps.length - creates} to update, ${plan.unchanged} unchanged`;
  return [...(lines.length === 0 ? [`${plan.file}: nothing to change`] : lines), summary].join('\n');
}

function stepLines(step: PlanStep): string[] {
  const where = step.workspace ? ` in '${step.workspace}'` : '';
  const head = `${step.action === 'create' ? '+ create' : '~ update'} ${KIND_LABELS[step.kind]} '${step.name}'${where}`;
  return [head, ...step.changes.map((c) => `    ${c.field}: ${'from' in c ? `${shown(c.from)} → ` : ''}${shown(c.to)}`)];
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
