import { CLOSE, isOpen, sendJson, type MessageSink } from './message-sink.js';
import type { AudioFrame, Track } from './stream-protocol.js';

/** Bounds on listening: how many per call, and how far behind one may fall before it is dropped. */
export interface ListenLimits {
  maxListenersPerTask: number;
  /** Bytes queued for one listener beyond which it is dropped (about 256 KiB: several seconds of both tracks). */
  maxBufferedBytes: number;
}

export const DEFAULT_LISTEN_LIMITS: ListenLimits = { maxListenersPerTask: 8, maxBufferedBytes: 256 * 1024 };

interface Listening {
  listeners: Set<MessageSink>;
  /** What feeds the task's audio: a fork of the call, a browser agent's bridge. */
  sources: Set<object>;
  tracks: Track[];
}

/**
 * Fans a call's audio out to its supervisors, per task, in this process. Frames are relayed as they arrive and
 * never queued here: a listener whose socket falls more than `maxBufferedBytes` behind is dropped rather than
 * slowing or growing anything else. When the last source of a task stops, its listeners are told and closed.
 */
export class ListenHub {
  private readonly tasks = new Map<string, Listening>();

  constructor(
    private readonly limits: ListenLimits,
    /**
     * Called when a task loses its last listener (a fork made for them can stop), or its audio ended with the call
     * (`audioEnded`: the fork is already gone).
     */
    private readonly onUnwatched: (taskSid: string, audioEnded: boolean) => void,
  ) {}

  /** Adds a listener; false when the task already has as many as allowed. */
  addListener(taskSid: string, sink: MessageSink): boolean {
    const entry = this.entry(taskSid);
    if (entry.listeners.size >= this.limits.maxListenersPerTask) {
      this.forgetIfIdle(taskSid, entry);
      return false;
    }
    entry.listeners.add(sink);
    if (entry.sources.size > 0) sendJson(sink, { event: 'start', taskSid, tracks: entry.tracks, mediaFormat: MEDIA_FORMAT });
    return true;
  }

  removeListener(taskSid: string, sink: MessageSink): void {
    const entry = this.tasks.get(taskSid);
    if (!entry?.listeners.delete(sink)) return;
    if (entry.listeners.size === 0) {
      this.forgetIfIdle(taskSid, entry);
      this.onUnwatched(taskSid, false);
    }
  }

  startSource(taskSid: string, source: object, tracks: Track[]): void {
    const entry = this.entry(taskSid);
    entry.sources.add(source);
    entry.tracks = [...new Set([...entry.tracks, ...tracks])];
    for (const sink of entry.listeners) sendJson(sink, { event: 'start', taskSid, tracks: entry.tracks, mediaFormat: MEDIA_FORMAT });
  }

  /** Relays one frame to the task's listeners, dropping those too far behind. */
  publish(taskSid: string, frame: AudioFrame): void {
    const entry = this.tasks.get(taskSid);
    if (!entry || entry.listeners.size === 0) return;
    const text = JSON.stringify({ event: 'media', taskSid, media: frame });
    const dropped: MessageSink[] = [];
    for (const sink of entry.listeners) {
      if (!isOpen(sink)) continue;
      if (sink.bufferedAmount > this.limits.maxBufferedBytes) dropped.push(sink);
      else sink.send(text);
    }
    for (const sink of dropped) {
      sink.close(CLOSE.overloaded, 'listener too slow: audio was dropped');
      this.removeListener(taskSid, sink);
    }
  }

  /** A source stopped; with none left, the listeners hear `stop` and are closed. */
  stopSource(taskSid: string, source: object): void {
    const entry = this.tasks.get(taskSid);
    if (!entry?.sources.delete(source) || entry.sources.size > 0) return;
    this.tasks.delete(taskSid);
    for (const sink of entry.listeners) {
      sendJson(sink, { event: 'stop', taskSid });
      if (isOpen(sink)) sink.close(CLOSE.normal, 'the call audio ended');
    }
    this.onUnwatched(taskSid, true);
  }

  listenerCount(taskSid: string): number {
    return this.tasks.get(taskSid)?.listeners.size ?? 0;
  }

  hasSource(taskSid: string): boolean {
    return (this.tasks.get(taskSid)?.sources.size ?? 0) > 0;
  }

  /** Tasks with listeners or sources in this process. */
  get activeTasks(): number {
    return this.tasks.size;
  }

  /** Closes every listener (shutting down). */
  closeAll(): void {
    for (const [taskSid, entry] of this.tasks) {
      for (const sink of entry.listeners) if (isOpen(sink)) sink.close(CLOSE.normal, 'server shutting down');
      this.tasks.delete(taskSid);
    }
  }

  private entry(taskSid: string): Listening {
    let entry = this.tasks.get(taskSid);
    if (!entry) {
      entry = { listeners: new Set(), sources: new Set(), tracks: [] };
      this.tasks.set(taskSid, entry);
    }
    return entry;
  }

  private forgetIfIdle(taskSid: string, entry: Listening): void {
    if (entry.listeners.size === 0 && entry.sources.size === 0) this.tasks.delete(taskSid);
  }
}

/** Media Streams carry one format only. */
export const MEDIA_FORMAT = { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 };
