import type { MemoryStoreSnapshot } from '../memory/memory-store.js';

/**
 * Items serialised together into one piece: few enough that a piece holds the event loop well under a millisecond
 * (a hundred events of a created task are about 100 KB of JSON), many enough that a piece's overhead does not count.
 * The journal gathers pieces into writes of its own size (docs/performance-push.md, "The journal's snapshot").
 */
const ITEMS_PER_PIECE = 100;

/**
 * The JSON text of `{"routing": routing, "companions": companions}` (the text `JSON.stringify` would give), produced
 * piece by piece as it is read: the journal writes a snapshot with the event loop free between pieces. `routing` is
 * a memory store's snapshot, whose objects the store never changes once stored, so it may be read later than it was
 * taken; `companionsJson` is serialised already.
 */
export function* snapshotPieces(routing: MemoryStoreSnapshot, companionsJson: string): Generator<string> {
  yield '{"routing":{"workspaces":[';
  let first = true;
  for (const ws of routing.workspaces) {
    yield `${first ? '' : ','}{"sid":${JSON.stringify(ws.sid)},"records":[`;
    first = false;
    yield* listPieces(ws.records, ([kind, records]) => [`[${JSON.stringify(kind)},`, ...arrayPieces(records), ']']);
    yield '],"indexes":[';
    yield* listPieces(ws.indexes, ([name, members]) => [`[${JSON.stringify(name)},`, ...arrayPieces(members), ']']);
    yield `],"unique":`;
    yield* arrayPieces(ws.unique);
    yield `,"counters":`;
    yield* arrayPieces(ws.counters);
    yield `,"events":`;
    yield* arrayPieces(ws.events);
    yield '}';
  }
  yield '],"timers":';
  yield* arrayPieces(routing.timers);
  yield `},"companions":${companionsJson}}`;
}

/** A JSON array of `items`, a few hundred items to a piece. */
function* arrayPieces(items: readonly unknown[]): Generator<string> {
  yield '[';
  for (let at = 0; at < items.length; at += ITEMS_PER_PIECE) {
    const text = JSON.stringify(items.slice(at, at + ITEMS_PER_PIECE));
    yield (at === 0 ? '' : ',') + text.slice(1, -1);
  }
  yield ']';
}

/** A comma-separated list of `items`, each given as pieces by `piecesOf` (large items are split further). */
function* listPieces<T>(items: readonly T[], piecesOf: (item: T) => Iterable<string>): Generator<string> {
  let first = true;
  for (const item of items) {
    if (!first) yield ',';
    first = false;
    yield* piecesOf(item);
  }
}
