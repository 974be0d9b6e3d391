import type { RoutingEngine } from '../../engine/engine.js';
import type { ListenHub } from './listen-hub.js';
import { CLOSE } from './message-sink.js';
import type { StreamBinding } from './stream-binding.js';
import type { StreamSession, TwilioMediaStream } from './twilio-stream.js';

/** Task statuses with no call left to listen to. */
const ENDED = new Set(['completed', 'canceled']);

/**
 * A fork of a task's call (purpose `listen`) has started: its frames go to the task's listeners until it stops.
 * Refused (closed) when the task is unknown or over.
 */
export async function openListenSource(
  engine: RoutingEngine,
  hub: ListenHub,
  stream: TwilioMediaStream,
  binding: StreamBinding,
): Promise<StreamSession | null> {
  const task = await engine.store.get(binding.workspaceSid, 'task', binding.taskSid);
  if (!task || ENDED.has(task.assignmentStatus)) {
    stream.close(CLOSE.policy, 'unknown or ended task');
    return null;
  }
  const taskSid = task.sid;
  const source: StreamSession = {
    media: (frame) => hub.publish(taskSid, frame),
    mark: () => {},
    dtmf: () => {},
    ended: () => hub.stopSource(taskSid, source),
  };
  hub.startSource(taskSid, source, stream.tracks);
  return source;
}
