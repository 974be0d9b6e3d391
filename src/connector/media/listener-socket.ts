import type { WebSocket } from 'ws';
import { guarded } from '../../sockets/guarded.js';
import type { TaskRecord } from '../../core/model.js';
import type { ListenForks } from './listen-forks.js';
import type { ListenHub } from './listen-hub.js';
import { CLOSE, isOpen, sendJson } from './message-sink.js';

export interface ListenerDeps {
  hub: ListenHub;
  forks: ListenForks;
  locate(taskSid: string, workspaceSid: string | null): Promise<TaskRecord | null>;
  /** How long a listener waits for the call's audio to start flowing before it is closed. */
  sourceWaitMs: number;
}

/**
 * A supervisor's socket on `/v1/Connector/Listen?TaskSid=WT…`: allowed while the task is assigned (its caller is
 * with an agent). It receives `connected`, then `start`, every frame of both tracks as
 * `{"event":"media","taskSid","media":{"track","chunk","timestamp","payload"}}`, and `stop` when the call ends, after
 * which the socket is closed. The call's audio is forked to us if nothing in this process already receives it.
 */
export async function serveListener(deps: ListenerDeps, ws: WebSocket, taskSid: string, workspaceSid: string | null): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  ws.on(
    'close',
    guarded(
      'removing a call listener',
      () => {
        clearTimeout(timer);
        deps.hub.removeListener(taskSid, ws);
      },
      { task_sid: taskSid },
    ),
  );
  ws.on('error', () => {});
  const task = await deps.locate(taskSid, workspaceSid);
  if (!isOpen(ws)) return;
  if (!task) return ws.close(CLOSE.policy, 'unknown task');
  if (task.assignmentStatus !== 'assigned') return ws.close(CLOSE.policy, 'the task is not connected to an agent');
  if (!deps.hub.addListener(taskSid, ws)) return ws.close(CLOSE.overloaded, 'too many listeners');
  sendJson(ws, { event: 'connected', taskSid });
  if (deps.hub.hasSource(taskSid)) return;
  try {
    await deps.forks.start(task.workspaceSid, task);
  } catch (err) {
    sendJson(ws, { event: 'error', message: err instanceof Error ? err.message : String(err) });
    if (isOpen(ws)) ws.close(CLOSE.error, 'could not fork the call audio');
    return;
  }
  timer = setTimeout(
    guarded(
      "waiting for a task's call audio",
      () => {
        if (!deps.hub.hasSource(taskSid) && isOpen(ws)) ws.close(CLOSE.error, 'no call audio arrived');
      },
      { task_sid: taskSid },
    ),
    deps.sourceWaitMs,
  );
}
