import { randomUUID } from 'node:crypto';
import type { ClaimKey, ConnectorState } from './state/connector-state.js';

const presenceKey = (identity: string): ClaimKey => ({ kind: 'agent-audio', subject: identity });

/**
 * Which browser agents have an audio socket open, on any instance: a claim per agent in the connector's state,
 * `agent-audio` of the identity → the instance holding the socket. Any instance can then tell, before taking a
 * caller out of their queue toward a browser agent, whether anyone is there to take them.
 */
export class AgentPresence {
  /** This process, as the holder of its agents' keys. */
  private readonly instance = randomUUID();

  constructor(private readonly state: ConnectorState) {}

  /** The agent's socket opened here. An agent whose key another instance holds counts as present already. */
  async arrived(identity: string): Promise<void> {
    await this.state.claim(presenceKey(identity), this.instance);
  }

  /** The agent's last socket here closed. */
  async left(identity: string): Promise<void> {
    await this.state.release(presenceKey(identity), this.instance);
  }

  async isPresent(identity: string): Promise<boolean> {
    return (await this.state.holder(presenceKey(identity))) !== null;
  }
}
