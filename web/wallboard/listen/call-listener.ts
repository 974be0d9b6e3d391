import type { Api } from '../../shared/api.ts';
import { CallSpeaker, type Heard } from '../../shared/audio/call-speaker.ts';

/** What the server sends a listener (docs/voice-connector.md, "Media Streams"). */
type ListenMessage = { event: 'connected' | 'start' | 'stop' } | { event: 'media'; media: { track: string; payload: string } };

/**
 * A supervisor listening to one live call: a listening token for the task (the page's credentials ask for it), the
 * Listen socket, and both sides of the call played on `context` as they arrive. `ended` is told once, when the call
 * ends or the socket is refused or lost, unless `stop` came first.
 */
export class CallListener {
  private socket: WebSocket | null = null;
  private stopped = false;

  constructor(
    private readonly context: AudioContext,
    private readonly on: { heard: (heard: Heard) => void; ended: (why: string) => void },
  ) {}

  async open(api: Api, taskSid: string): Promise<void> {
    const issued = await api.post<{ url: string }>('/v1/Connector/MediaTokens', { TaskSid: taskSid });
    if (this.stopped) return;
    const speaker = new CallSpeaker(this.context, this.on.heard);
    const socket = new WebSocket(issued.url);
    this.socket = socket;
    socket.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ListenMessage;
      if (message.event === 'media' && 'media' in message) speaker.play(message.media.payload, message.media.track);
    };
    socket.onclose = (event) => {
      if (this.stopped) return;
      this.on.ended(
        event.code === 1000 ? 'The call ended.' : event.reason ? `Listening stopped: ${event.reason}.` : 'Listening stopped: the connection was lost.',
      );
    };
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close(1000);
  }
}
