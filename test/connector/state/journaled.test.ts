import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import type { ConnectorRetention, ConnectorState } from '../../../src/connector/state/connector-state.js';
import { journaledConnectorState } from '../../../src/connector/state/journaled-connector-state.js';
import { AdjustableClock } from '../../../src/engine/clock.js';
import { openDurableMemoryStore } from '../../../src/store/journal/durable-memory-store.js';
import { connectorStateCases, type StateHarness } from './connector-state.cases.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** What each state under test runs on: its clock, and how to let go of its data directory. */
const made = new WeakMap<object, { clock: AdjustableClock; close: () => Promise<void> }>();

/** The reads of the seam: everything else changes the state. */
const READS = new Set([
  'listConfigured',
  'configured',
  'configuredName',
  'holder',
  'conversation',
  'openConversationBetween',
  'filedIn',
  'messages',
  'messageCount',
  'deliveryReports',
]);

/**
 * The connector's state kept in a data directory. With `reopenBeforeReads`, the directory is closed and opened again
 * before every read, so every read sees only what the journal (and, with a small `compactAfterBytes`, the snapshots)
 * kept: the shared behaviour must come out the same after any restart.
 */
function journaledHarness(options: { reopenBeforeReads: boolean; compactAfterBytes?: number }): StateHarness {
  const harness: StateHarness = {
    async make(retention?: ConnectorRetention) {
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-connector-'));
      dirs.push(dir);
      const clock = new AdjustableClock();
      const open = () => {
        const store = openDurableMemoryStore(dir, { compactAfterBytes: options.compactAfterBytes });
        return { store, state: journaledConnectorState(store.companions!, clock, retention ?? { conversationMs: 30 * 24 * 3600_000 }) };
      };
      let current = open();
      let turn: Promise<unknown> = Promise.resolve();
      const state = options.reopenBeforeReads
        ? new Proxy({} as ConnectorState, {
            get(_target, name) {
              if (name === 'retention') return current.state.retention;
              // Not a promise: awaiting the state must not take it for one.
              if (name === 'then' || typeof name === 'symbol') return undefined;
              // One call at a time, so that reads made together do not reopen the directory over each other.
              return (...args: unknown[]) => {
                const call = turn.then(async () => {
                  if (READS.has(name)) {
                    await current.store.close();
                    current = open();
                  }
                  return (current.state[name as keyof ConnectorState] as (...a: unknown[]) => Promise<unknown>)(...args);
                });
                turn = call.catch(() => undefined);
                return call;
              };
            },
          })
        : current.state;
      made.set(state, { clock, close: () => current.store.close() });
      return state;
    },
    expectExpiry: async (state, _kept, afterMs, read) => {
      const { clock } = made.get(state)!;
      expect(await read()).not.toBeNull();
      clock.advance(afterMs - 1_000);
      expect(await read()).not.toBeNull();
      clock.advance(2_000);
      expect(await read()).toBeNull();
    },
    expectNoExpiry: async (state, _kept, read) => {
      made.get(state)!.clock.advance(365 * 24 * 3600_000);
      expect(await read()).not.toBeNull();
    },
    close: async (state) => made.get(state)!.close(),
  };
  return harness;
}

describe('connector state kept in the embedded store’s journal', () => connectorStateCases(journaledHarness({ reopenBeforeReads: false })));
describe('connector state rebuilt from its journal before every read', () => connectorStateCases(journaledHarness({ reopenBeforeReads: true })));
describe('connector state rebuilt from snapshots and its journal before every read', () =>
  connectorStateCases(journaledHarness({ reopenBeforeReads: true, compactAfterBytes: 600 })));
