/**
 * How the embedded store keeps what it holds from changing: each record and event is frozen through and through,
 * in place, once, when the store takes it (written by a commit, replayed from the journal, restored from a snapshot).
 * Nobody can change a frozen object (in strict mode, which every ES module runs in, trying throws a TypeError), so
 * the store needs no copy of what a commit hands it: the engine's written records stay shared with it, safely. A
 * deep copy of every record and event written cost more, and left more garbage: measured in docs/performance.md,
 * "The REST path".
 */

/**
 * Freezes `value` and everything it holds, in place, and returns it. An object is frozen only once all it holds is,
 * so a frozen object found inside is frozen through already and left as it is: a record written as a new version of
 * one the store holds (`{ ...previous, status }`) has only its own new parts frozen.
 */
export function freeze<T>(value: T): T {
  if (isUnfrozenObject(value)) freezeThrough(value);
  return value;
}

function freezeThrough(value: object): void {
  // Looking at each value before calling in (most are strings) costs less than the call.
  if (Array.isArray(value)) {
    for (const item of value) if (isUnfrozenObject(item)) freezeThrough(item);
  } else {
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (isUnfrozenObject(item)) freezeThrough(item);
    }
  }
  Object.freeze(value);
}

function isUnfrozenObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Object.isFrozen(value);
}
