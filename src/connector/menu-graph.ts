import { badRequest } from '../core/errors.js';
import type { IvrMenuRecord } from '../core/model.js';
import { ANSWER_BOUND_REASON, MAX_ANSWER_ATTRIBUTES } from './ivr-menu-settings.js';

/**
 * A cycle through `start` in the menus' option graph (option → next menu), as the unique names along it, or null.
 * Menus are asked one after another until an option leads nowhere further; a cycle would keep a caller in the IVR
 * for ever, so configuration refuses it.
 */
export function menuCycleThrough(start: string, menus: ReadonlyMap<string, Pick<IvrMenuRecord, 'uniqueName' | 'options'>>): string[] | null {
  const trail: string[] = [];
  const done = new Set<string>();
  const visit = (sid: string): boolean => {
    if (sid === start && trail.length > 0) return true;
    if (done.has(sid) || trail.includes(sid)) return false;
    const menu = menus.get(sid);
    if (!menu) return false;
    trail.push(sid);
    for (const option of menu.options) {
      if (option.nextMenuSid && visit(option.nextMenuSid)) return true;
    }
    trail.pop();
    done.add(sid);
    return false;
  };
  if (!visit(start)) return null;
  return [...trail, start].map((sid) => menus.get(sid)?.uniqueName ?? sid);
}

type MenuOptions = Pick<IvrMenuRecord, 'uniqueName' | 'options'>;

/** The answers a path through the menus adds up to: the menus along it, and the characters of JSON of its options' attributes. */
export interface AnswerPath {
  menus: string[];
  length: number;
}

/**
 * The heaviest path of answers through `sid`: of every way a caller can pass through that menu, from any menu
 * before it to the last one after it, the one whose chosen options' attributes take the most characters as JSON.
 * Their sum bounds what the merged answers take (keys repeated along the way count twice). Menus must not form a
 * cycle (see `menuCycleThrough`); one met anyway is not followed round again.
 */
export function heaviestAnswersThrough(sid: string, menus: ReadonlyMap<string, MenuOptions>): AnswerPath {
  const weight = (option: IvrMenuRecord['options'][number]): number => JSON.stringify(option.attributes).length;
  const parents = new Map<string, Array<{ parent: string; length: number }>>();
  for (const [parent, menu] of menus) {
    for (const option of menu.options) {
      if (!option.nextMenuSid || !menus.has(option.nextMenuSid)) continue;
      const list = parents.get(option.nextMenuSid) ?? [];
      list.push({ parent, length: weight(option) });
      parents.set(option.nextMenuSid, list);
    }
  }
  const heaviest = (
    start: string,
    steps: (menu: string) => Array<{ to: string | null; length: number }>,
    memo: Map<string, AnswerPath>,
    trail: Set<string>,
  ): AnswerPath => {
    const known = memo.get(start);
    if (known) return known;
    trail.add(start);
    let best: AnswerPath = { menus: [], length: 0 };
    for (const step of steps(start)) {
      const rest = step.to && !trail.has(step.to) ? heaviest(step.to, steps, memo, trail) : { menus: [], length: 0 };
      if (step.length + rest.length > best.length) best = { menus: rest.menus, length: step.length + rest.length };
    }
    trail.delete(start);
    const path = { menus: [start, ...best.menus], length: best.length };
    memo.set(start, path);
    return path;
  };
  const onward = (menu: string) =>
    (menus.get(menu)?.options ?? []).map((o) => ({ to: o.nextMenuSid && menus.has(o.nextMenuSid) ? o.nextMenuSid : null, length: weight(o) }));
  const backward = (menu: string) => (parents.get(menu) ?? []).map((p) => ({ to: p.parent, length: p.length }));
  const after = heaviest(sid, onward, new Map(), new Set());
  const before = heaviest(sid, backward, new Map(), new Set());
  const names = [...before.menus.slice(1).reverse(), ...after.menus].map((m) => menus.get(m)?.uniqueName ?? m);
  return { menus: names, length: before.length + after.length };
}

/**
 * Refuses menus through which a caller could collect more answers than their task has room for (see
 * `MAX_ANSWER_ATTRIBUTES`), naming the heaviest way through `sid`; `where` names the setting in the error.
 */
export function checkAnswersFit(sid: string, menus: ReadonlyMap<string, MenuOptions>, where: string): void {
  const path = heaviestAnswersThrough(sid, menus);
  if (path.length <= MAX_ANSWER_ATTRIBUTES) return;
  throw badRequest(
    `${where}: a caller choosing their way through menus ${path.menus.join(' → ')} would add ${path.length} characters of attributes (as JSON) to their task; ` +
      `at most ${MAX_ANSWER_ATTRIBUTES} fit: ${ANSWER_BOUND_REASON}`,
  );
}
