import { CLOSE, isOpen, type MessageSink } from './message-sink.js';
import type { AgentMessage } from './agent-protocol.js';

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

/** Browser agents connected to this process, one socket per identity: a newer connection replaces an older one. */
export class BrowserAgents {
  private readonly agents = new Map<string, BrowserAgent>();

  connect(identity: string, socket: MessageSink): BrowserAgent {
    const previous = this.agents.get(identity);
    const agent: BrowserAgent = { identity, socket, call: null };
    this.agents.set(identity, agent);
    if (previous && isOpen(previous.socket)) previous.socket.close(CLOSE.policy, 'replaced by a newer connection of the same agent');
    return agent;
  }

  disconnect(agent: BrowserAgent): void {
    if (this.agents.get(agent.identity) === agent) this.agents.delete(agent.identity);
  }

  get(identity: string): BrowserAgent | null {
    const agent = this.agents.get(identity);
    return agent && isOpen(agent.socket) ? agent : null;
  }
}
