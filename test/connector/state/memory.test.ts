import { describe, expect } from 'vitest';
import { MemoryConnectorState } from '../../../src/connector/state/memory-connector-state.js';
import { AdjustableClock } from '../../../src/engine/clock.js';
import { connectorStateCases } from './connector-state.cases.js';

const clocks = new WeakMap<object, AdjustableClock>();
const clockOf = (state: object): AdjustableClock => clocks.get(state)!;

describe('memory connector state', () =>
  connectorStateCases({
    make: async (retention) => {
      const clock = new AdjustableClock();
      const state = new MemoryConnectorState(clock, retention);
      clocks.set(state, clock);
      return state;
    },
    expectExpiry: async (state, _kept, afterMs, read) => {
      expect(await read()).not.toBeNull();
      clockOf(state).advance(afterMs - 1_000);
      expect(await read()).not.toBeNull();
      clockOf(state).advance(2_000);
      expect(await read()).toBeNull();
    },
    expectNoExpiry: async (state, _kept, read) => {
      clockOf(state).advance(365 * 24 * 3600_000);
      expect(await read()).not.toBeNull();
    },
    close: async () => {},
  }));
