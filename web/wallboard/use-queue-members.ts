import { useEffect, useState } from 'preact/hooks';
import type { BoardSession } from './feed.ts';
import type { WorkerJson } from './wire.ts';

/**
 * The agents eligible for a queue (TaskRouter's Workers list filtered by `TaskQueueSid`), read when the queue is
 * chosen and again with every snapshot (workers and queues change between them); null while unknown.
 */
export function useQueueMembers(session: BoardSession, queueSid: string | null, snapshot: number): ReadonlySet<string> | null {
  const [members, setMembers] = useState<ReadonlySet<string> | null>(null);
  useEffect(() => {
    setMembers(null);
    if (!queueSid) return;
    let current = true;
    session.api
      .list<WorkerJson>(`/v1/Workspaces/${session.workspaceSid}/Workers`, 'workers', { TaskQueueSid: queueSid })
      .then((workers) => current && setMembers(new Set(workers.map((w) => w.sid))))
      .catch(() => current && setMembers(null));
    return () => {
      current = false;
    };
  }, [session, queueSid, snapshot]);
  return members;
}
