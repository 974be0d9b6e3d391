import type { Clock } from '../../engine/clock.js';
import type { Companions } from '../../store/memory/memory-store.js';
import type { ConnectorRetention, ConnectorState } from './connector-state.js';
import { MemoryConnectorState, type MemoryConnectorSnapshot } from './memory-connector-state.js';

/** The operations that change the connector's state: what the journal keeps. */
const CHANGES = ['changeConfiguration', 'claim', 'release', 'expireClaim', 'openConversation', 'fileMessage', 'closeConversation', 'recordDelivery'] as const;
type ChangeName = (typeof CHANGES)[number];

/** One change as journaled: the operation, its arguments, and the time on the clock it was made at. */
type JournaledChange = { [K in ChangeName]: { op: K; args: Parameters<ConnectorState[K]>; at: number } }[ChangeName];

const isChange = (name: string | symbol): name is ChangeName => (CHANGES as readonly (string | symbol)[]).includes(name);

/**
 * The connector's state in this process, kept in the embedded store's journal: every operation that changes it is
 * journaled, once it succeeded, with the time it was made at, and made again at that time when the store is rebuilt
 * at start (expiry and retention then come out as they were). The memory state's operations run to completion
 * without waiting on anything, so the time each one sees is the one journaled.
 */
export function journaledConnectorState(companions: Companions, clock: Clock, retention: ConnectorRetention): ConnectorState {
  let at: number | null = null;
  const state = new MemoryConnectorState({ now: () => at ?? clock.now() }, retention);
  const perform = <R>(change: ChangeName, args: unknown[], when: number): Promise<R> => {
    at = when;
    try {
      return (state[change] as (...a: unknown[]) => Promise<R>)(...args);
    } finally {
      at = null;
    }
  };
  const journal = companions.register<MemoryConnectorSnapshot, JournaledChange>('connector', {
    snapshot: () => state.snapshot(),
    restore: (saved) => state.restore(saved),
    // A change journaled once succeeded the same way again; were it to fail, the state would be as it was.
    replay: (change) => void perform(change.op, change.args, change.at).catch(() => undefined),
  });
  return new Proxy(state, {
    get(target, name, receiver) {
      if (!isChange(name)) {
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const when = clock.now();
        const result = await perform(name, args, when);
        journal({ op: name, args, at: when } as JournaledChange);
        return result;
      };
    },
  });
}
