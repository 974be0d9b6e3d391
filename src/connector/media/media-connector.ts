import type { Server } from 'node:http';
import type twilio from 'twilio';
import type { ApiKey } from '../../api/auth.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { logFailure } from '../../sockets/guarded.js';
import type { ConnectorDirectory } from '../connector-directory.js';
import { openAgentBridge } from './agent-bridge.js';
import { serveBrowserAgent } from './agent-socket.js';
import { BrowserAgents } from './browser-agents.js';
import { ListenForks } from './listen-forks.js';
import { DEFAULT_LISTEN_LIMITS, ListenHub, type ListenLimits } from './listen-hub.js';
import { openListenSource } from './listen-source.js';
import { serveListener } from './listener-socket.js';
import { mediaBaseUrl, mediaStreamUrl } from './media-paths.js';
import { MediaSockets } from './media-sockets.js';
import { locateTask } from './task-locator.js';
import { TwilioMediaStream } from './twilio-stream.js';
import { log } from '../../telemetry/log.js';

/** The bounds of the media relay. */
export interface MediaLimits extends ListenLimits {
  /** A Twilio stream must start within this long of connecting. */
  startTimeoutMs: number;
  /** A listener waits this long for a forked call's audio to arrive. */
  sourceWaitMs: number;
  /** Largest WebSocket message accepted from anyone. */
  maxMessageBytes: number;
  /**
   * How often supervisors' and browser agents' sockets are pinged: one that has not answered by the next ping is
   * terminated, and its listening slot or agent identity freed, so a half-open browser holds nothing for long.
   */
  heartbeatIntervalMs: number;
  /**
   * How long a Twilio stream may send nothing before it is terminated and ended as if Twilio had stopped it:
   * Twilio sends a media message every 20 ms for as long as a stream lives, so silence means it is gone.
   */
  streamIdleMs: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  ...DEFAULT_LISTEN_LIMITS,
  startTimeoutMs: 10_000,
  sourceWaitMs: 10_000,
  maxMessageBytes: 64 * 1024,
  heartbeatIntervalMs: 30_000,
  streamIdleMs: 30_000,
};

export interface MediaConnectorOptions {
  engine: RoutingEngine;
  directory: ConnectorDirectory;
  accountSid: string;
  authToken: string;
  /** API keys accepted as a Basic pair on the media sockets, as on the API. */
  apiKeys?: readonly ApiKey[];
  publicUrl: () => string;
  /** MEDIA_URL: the WebSocket base URL Twilio streams to; null = PUBLIC_URL as ws(s). */
  mediaUrl: string | null;
  /** Twilio's REST client (forks for listening); null when no Twilio credentials are configured. */
  client: twilio.Twilio | null;
  limits?: Partial<MediaLimits>;
}

/** The media side of the connector: Twilio's Media Streams, supervisors listening, browser agents. */
export interface MediaConnector {
  /** The WebSocket base URL of the media endpoints. */
  baseUrl(): string;
  /** The URL Twilio streams to. */
  streamUrl(): string;
  readonly hub: ListenHub;
  readonly agents: BrowserAgents;
  readonly sockets: MediaSockets;
  /** Serves the media WebSockets on the API's HTTP server. */
  attach(server: Server): void;
  close(): Promise<void>;
}

/**
 * Builds the media relay. Streams, listeners and browser agents meet in one process: with several instances, point
 * MEDIA_URL (and the supervisors' and agents' sockets) at one of them.
 */
export function createMediaConnector(options: MediaConnectorOptions): MediaConnector {
  const { engine, authToken } = options;
  const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, ...options.limits };
  const baseUrl = () => mediaBaseUrl(options.publicUrl(), options.mediaUrl);
  const streamUrl = () => mediaStreamUrl(baseUrl());
  const forks = new ListenForks({ client: options.client, authToken, streamUrl });
  const hub = new ListenHub(limits, (taskSid, audioEnded) => {
    forks.stop(taskSid, !audioEnded).catch(logFailure('stopping the fork of a call', { task_sid: taskSid }));
  });
  const agents = new BrowserAgents();
  const sockets = new MediaSockets({
    credentials: { accountSid: options.accountSid, authToken, apiKeys: options.apiKeys },
    baseUrl,
    now: () => engine.clock.now(),
    maxMessageBytes: limits.maxMessageBytes,
    heartbeatIntervalMs: limits.heartbeatIntervalMs,
    streamIdleMs: limits.streamIdleMs,
    twilioStream: (ws) =>
      new TwilioMediaStream(ws, {
        authToken,
        startTimeoutMs: limits.startTimeoutMs,
        open: (stream, binding) =>
          binding.purpose === 'listen'
            ? openListenSource(engine, hub, stream, binding)
            : openAgentBridge({ engine, agents, hub, maxBufferedBytes: limits.maxBufferedBytes }, stream, binding),
      }),
    listener: (ws, taskSid, workspaceSid) => {
      const locate = (sid: string, ws: string | null) => locateTask(engine, options.directory, sid, ws);
      serveListener({ hub, forks, locate, sourceWaitMs: limits.sourceWaitMs }, ws, taskSid, workspaceSid).catch((err: unknown) => {
        log.error({ err, workspace_sid: workspaceSid, task_sid: taskSid }, 'call listener failed');
        ws.terminate();
      });
    },
    browserAgent: (ws, identity) => serveBrowserAgent(agents, ws, identity),
  });
  return {
    baseUrl,
    streamUrl,
    hub,
    agents,
    sockets,
    attach: (server) => sockets.attach(server),
    close: async () => {
      hub.closeAll();
      await sockets.close();
    },
  };
}
