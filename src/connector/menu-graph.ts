import type { IvrMenuRecord } from '../core/model.js';

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
