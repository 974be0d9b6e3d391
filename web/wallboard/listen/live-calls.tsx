import { useEffect, useState } from 'preact/hooks';
import { Api } from '../../shared/api.ts';
import type { Credentials } from '../../shared/credentials.ts';
import { Notice } from '../../shared/ui.tsx';
import { ListenIn } from '../listen-in.tsx';

interface TaskResource {
  sid: string;
  attributes: string;
  task_channel_unique_name: string | null;
  date_created: string;
}

/** How often the list of live calls is read again. */
const REFRESH_MS = 3000;

/** The workspace's live voice calls (tasks assigned on the voice channel), each with its Listen control. */
export function LiveCalls(props: { credentials: Credentials; workspaceSid: string }) {
  const [calls, setCalls] = useState<TaskResource[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const api = new Api(props.credentials);
    const read = () =>
      api.list<TaskResource>(`/v1/Workspaces/${props.workspaceSid}/Tasks`, 'tasks', { AssignmentStatus: 'assigned' }).then(
        (tasks) => {
          setCalls(tasks.filter((task) => task.task_channel_unique_name === 'voice'));
          setError(null);
        },
        (err: unknown) => setError((err as Error).message),
      );
    void read();
    const timer = setInterval(read, REFRESH_MS);
    return () => clearInterval(timer);
  }, [props.credentials, props.workspaceSid]);
  return (
    <section class="card" aria-labelledby="live-calls-title">
      <h2 id="live-calls-title">Live calls</h2>
      {error && <Notice>{error}</Notice>}
      {calls.length === 0 ? (
        <p>No call is connected to an agent.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Caller</th>
              <th scope="col">Task</th>
              <th scope="col">Listen</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((task) => (
              <tr key={task.sid}>
                <td>{callerOf(task)}</td>
                <td>{task.sid}</td>
                <td>
                  <ListenIn credentials={props.credentials} workspaceSid={props.workspaceSid} taskSid={task.sid} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function callerOf(task: TaskResource): string {
  try {
    const attributes = JSON.parse(task.attributes) as { from?: unknown };
    return typeof attributes.from === 'string' ? attributes.from : 'Unknown';
  } catch {
    return 'Unknown';
  }
}
