import type { RawData, WebSocket } from 'ws';
import { guarded } from '../../sockets/guarded.js';
import { readAgentMessage } from './agent-protocol.js';
import type { BrowserAgents } from './browser-agents.js';
import { messageText, sendJson } from './message-sink.js';

/**
 * A browser agent's socket on `/v1/Connector/AgentAudio?Identity=…`. It waits for calls: when a caller is bridged to
 * the agent it receives `start`, the caller's audio as `media` frames, `dtmf`, echoed `mark`s and finally `stop`;
 * it sends its own audio, marks, clears and `hangup` (agent-protocol.ts). A message it should not send gets an
 * `error` message back; the socket stays open. Closing the socket hangs up the agent's call.
 */
export function serveBrowserAgent(agents: BrowserAgents, ws: WebSocket, identity: string): void {
  const agent = agents.connect(identity, ws);
  sendJson(ws, { event: 'connected', identity });
  ws.on(
    'message',
    guarded(
      'a message of a browser agent',
      (data: RawData, isBinary: boolean) => {
        if (isBinary)
          return void sendJson(ws, { event: 'error', message: 'send JSON text frames, e.g. {"event":"media","media":{"payload":"<base64 μ-law>"}}' });
        const message = readAgentMessage(messageText(data));
        if (typeof message === 'string') return void sendJson(ws, { event: 'error', message });
        // Audio between calls is the microphone running: nobody to send it to, and nothing to complain about.
        if (!agent.call) return void (message.event === 'media' || sendJson(ws, { event: 'error', message: 'not on a call' }));
        agent.call.fromAgent(message);
      },
      { identity },
    ),
  );
  ws.on(
    'close',
    guarded(
      'disconnecting a browser agent',
      () => {
        agents.disconnect(agent);
        agent.call?.agentLeft();
      },
      { identity },
    ),
  );
  ws.on('error', () => {});
}
