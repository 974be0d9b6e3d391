import { randomUUID } from 'node:crypto';
import { CommitConflict } from '../core/errors.js';
import type { RoutingStore } from '../store/routing-store.js';
import { CONNECTOR_PARTITION } from './connector-directory.js';

const presenceKey = (identity: string): string => `agent-audio:${identity}`;

/**
 * Which browser agents have an audio socket open, on any instance: a unique key of the connector's partition per
 * agent, `agent-audio:<identity>` → the instance holding the socket. Any instance can then tell, before taking a
 * caller out of their queue toward a browser agent, whether anyone is there to take them.
 */
export class AgentPresence {
  /** This process, as the holder of its agents' keys. */
  private readonly instance = randomUUID();

  constructor(private readonly store: RoutingStore) {}

  /** The agent's socket opened here. An agent whose key another instance holds counts as present already. */
  async arrived(identity: string): Promise<void> {
    try {
      await this.store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'claim', key: presenceKey(identity), sid: this.instance }] });
    } catch (err) {
      if (!(err instanceof CommitConflict)) throw err;
    }
  }

  /** The agent's last socket here closed. */
  async left(identity: string): Promise<void> {
    await this.store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'release', key: presenceKey(identity), sid: this.instance }] });
  }

  async isPresent(identity: string): Promise<boolean> {
    return (await this.store.lookupUnique(CONNECTOR_PARTITION, presenceKey(identity))) !== null;
  }
}
