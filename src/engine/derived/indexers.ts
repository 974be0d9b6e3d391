import type { Kind, RecordByKind } from '../../core/model.js';
import type { WorkspaceConfig } from '../workspace-config.js';
import type { DerivedEntries } from './entries.js';
import { reservationEntries } from './reservation-indexer.js';
import { taskEntries } from './task-indexer.js';
import { workerEntries } from './worker-indexer.js';

/** Computes what a record of one kind contributes to the derived state, under a workspace configuration. */
export type Indexer<K extends Kind> = (record: RecordByKind[K], config: WorkspaceConfig) => DerivedEntries;

/** One indexer per record kind that derives anything; other kinds (configuration, events) derive nothing. */
const INDEXERS: { readonly [K in Kind]?: Indexer<K> } = {
  task: taskEntries,
  worker: workerEntries,
  reservation: reservationEntries,
};

/** The indexer of a kind, or undefined when records of that kind derive nothing. */
export function indexerOf<K extends Kind>(kind: K): Indexer<K> | undefined {
  return INDEXERS[kind];
}
