import type { RoutingEngine } from '../../engine/engine.js';
import { acceptReservation, agentLegEnded } from '../voice/agent-answer.js';
import type { AgentLeg } from '../voice/agent-leg.js';
import type { AgentMessage } from './agent-protocol.js';
import type { AgentCall, BrowserAgent, BrowserAgents } from './browser-agents.js';
import { MEDIA_FORMAT, type ListenHub } from './listen-hub.js';
import { CLOSE, sendJson } from './message-sink.js';
import type { StreamBinding } from './stream-binding.js';
import type { AudioFrame } from './stream-protocol.js';
import type { StreamSession, TwilioMediaStream } from './twilio-stream.js';
import { log } from '../../telemetry/log.js';

export interface AgentBridgeDeps {
  engine: RoutingEngine;
  agents: BrowserAgents;
  hub: ListenHub;
  /** Bytes queued toward either side beyond which audio for it is dropped: a stalled side must not grow memory. */
  maxBufferedBytes: number;
}

/**
 * A caller's `<Connect><Stream>` (purpose `agent`) has started: it is bridged to the browser agent it names. The
 * reservation is accepted now, as a dequeue is when the agent answers. An agent who is not connected here, or is on
 * another call, counts as not answering: the reservation is rejected and the stream closed, after which the
 * `<Connect action>` puts the caller back in line.
 */
export async function openAgentBridge(deps: AgentBridgeDeps, stream: TwilioMediaStream, binding: StreamBinding): Promise<StreamSession | null> {
  const leg: AgentLeg = {
    workspaceSid: binding.workspaceSid,
    taskSid: binding.taskSid,
    reservationSid: binding.reservationSid ?? '',
    mode: 'dequeue',
    postWorkActivitySid: binding.postWorkActivitySid ?? undefined,
  };
  const agent = deps.agents.get(binding.identity ?? '');
  if (!agent || agent.call) {
    await agentLegEnded(deps.engine, leg, 'no-answer');
    stream.close(CLOSE.normal, 'the agent is not connected');
    return null;
  }
  const bridge = new AgentBridge(deps, stream, agent, leg);
  // Claimed before accepting, so a second call cannot reach the same agent meanwhile.
  agent.call = bridge;
  if (!(await acceptReservation(deps.engine, leg))) {
    bridge.abandon();
    stream.close(CLOSE.normal, 'the reservation is no longer pending');
    return null;
  }
  bridge.begin();
  return bridge;
}

/**
 * Audio both ways between a caller's bidirectional stream and a browser agent, μ-law base64 passed through
 * untouched: the caller's frames go to the agent (and to listeners), the agent's audio goes to Twilio as `media`
 * (and to listeners as the outbound track). Whichever side leaves ends it; then the task wraps up and the worker
 * moves to the post-work activity, if one was asked for.
 */
class AgentBridge implements StreamSession, AgentCall {
  private begun = false;
  private finished = false;
  private agentChunks = 0;
  private agentMs = 0;

  constructor(
    private readonly deps: AgentBridgeDeps,
    private readonly stream: TwilioMediaStream,
    private readonly agent: BrowserAgent,
    private readonly leg: AgentLeg,
  ) {}

  begin(): void {
    if (this.finished) return;
    if (this.stream.ended) return this.end('caller');
    this.begun = true;
    sendJson(this.agent.socket, {
      event: 'start',
      taskSid: this.leg.taskSid,
      reservationSid: this.leg.reservationSid,
      callSid: this.stream.callSid,
      streamSid: this.stream.streamSid,
      mediaFormat: MEDIA_FORMAT,
    });
    this.deps.hub.startSource(this.leg.taskSid, this, ['inbound', 'outbound']);
  }

  /** The accept failed: the agent is free again, and nothing was bridged. */
  abandon(): void {
    this.finished = true;
    if (this.agent.call === this) this.agent.call = null;
  }

  media(frame: AudioFrame): void {
    if (!this.begun || this.finished) return;
    if (this.agent.socket.bufferedAmount <= this.deps.maxBufferedBytes) sendJson(this.agent.socket, { event: 'media', media: frame });
    this.deps.hub.publish(this.leg.taskSid, frame);
  }

  mark(name: string): void {
    if (this.begun) sendJson(this.agent.socket, { event: 'mark', mark: { name } });
  }

  dtmf(digit: string): void {
    if (this.begun) sendJson(this.agent.socket, { event: 'dtmf', dtmf: { digit } });
  }

  ended(): void {
    this.end('caller');
  }

  fromAgent(message: AgentMessage): void {
    if (!this.begun || this.finished) return;
    switch (message.event) {
      case 'media': {
        if (this.stream.bufferedAmount <= this.deps.maxBufferedBytes) this.stream.sendMedia(message.payload);
        const frame: AudioFrame = {
          track: 'outbound',
          chunk: String(++this.agentChunks),
          timestamp: String(Math.round(this.agentMs)),
          payload: message.payload,
        };
        this.agentMs += Buffer.byteLength(message.payload, 'base64') / 8;
        this.deps.hub.publish(this.leg.taskSid, frame);
        return;
      }
      case 'mark':
        return this.stream.sendMark(message.name);
      case 'clear':
        return this.stream.sendClear();
      case 'hangup':
        return this.end('agent');
    }
  }

  agentLeft(): void {
    this.end('agent');
  }

  private end(by: 'caller' | 'agent'): void {
    if (this.finished) return;
    this.finished = true;
    if (this.agent.call === this) this.agent.call = null;
    if (this.begun) {
      sendJson(this.agent.socket, { event: 'stop', taskSid: this.leg.taskSid, by });
      this.deps.hub.stopSource(this.leg.taskSid, this);
    }
    // The agent left: ending the stream makes Twilio fetch the `<Connect action>`, which hangs the caller up.
    if (!this.stream.ended) this.stream.close(CLOSE.normal, 'the agent hung up');
    agentLegEnded(this.deps.engine, this.leg, 'completed').catch((err: unknown) => {
      log.error({ err, workspace_sid: this.leg.workspaceSid, task_sid: this.leg.taskSid }, "could not wrap up the task after its browser agent's call");
    });
  }
}
