import type { AgentPresence } from '../agent-presence.js';
import { CLOSE, isOpen, type MessageSink } from './message-sink.js';
import type { AgentMessage } from './agent-protocol.js';
import { log } from '../../telemetry/log.js';

/** The call a browser agent is bridged to. */
export interface AgentCall {
  fromAgent(message: AgentMessage): void;
  /** The agent's socket closed. */
  agentLeft(): void;
}

/** A browser agent connected to this process. */
export interface BrowserAgent {
  readonly identity: string;
  readonly socket: MessageSink;
  /** The call it is on, or being connected to; null when free. */
  call: AgentCall | null;
}

/**
 * Browser agents connected to this process, one socket per identity: a newer connection replaces an older one.
 * With a presence shared through the store, every instance can tell whether an agent is connected anywhere.
 */
export class BrowserAgents {
  private readonly agents = new Map<string, BrowserAgent>();
  private presence: AgentPresence | null = null;

  /** Publishes who is connected here to `presence`, from now on. */
  sharePresence(presence: AgentPresence): void {
    this.presence = presence;
  }

  connect(identity: string, socket: MessageSink): BrowserAgent {
    const previous = this.agents.get(identity);
    const agent: BrowserAgent = { identity, socket, call: null };
    this.agents.set(identity, agent);
    if (previous && isOpen(previous.socket)) previous.socket.close(CLOSE.policy, 'replaced by a newer connection of the same agent');
    this.presence?.arrived(identity).catch((err: unknown) => log.error({ err, identity }, 'could not record a browser agent as connected'));
    return agent;
  }

  disconnect(agent: BrowserAgent): void {
    if (this.agents.get(agent.identity) !== agent) return;
    this.agents.delete(agent.identity);
    this.presence?.left(agent.identity).catch((err: unknown) => log.error({ err, identity: agent.identity }, 'could not record a browser agent as gone'));
  }

  get(identity: string): BrowserAgent | null {
    const agent = this.agents.get(identity);
    return agent && isOpen(agent.socket) ? agent : null;
  }

  /** Whether the agent has an audio socket open here or, as far as the shared presence knows, on another instance. */
  async reachable(identity: string): Promise<boolean> {
    if (this.get(identity)) return true;
    return (await this.presence?.isPresent(identity)) ?? false;
  }
}
