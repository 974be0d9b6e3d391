import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError } from '../shared/api.ts';
import { tokenGrant, type Credentials } from '../shared/credentials.ts';
import { Notice } from '../shared/ui.tsx';
import type { BoardSession } from './feed.ts';
import type { WorkspaceJson } from './wire.ts';

/** How long the feed tokens the wallboard mints for itself last; a new one is minted at each reconnection. */
const FEED_TOKEN_TTL_SECONDS = 3600;

/** A session from a sign-in link's admin token (one workspace); null with an explanation when the token is not one. */
export function tokenSession(credentials: Credentials & { kind: 'token' }): BoardSession | string {
  const grant = tokenGrant(credentials.token);
  if (!grant) return 'This sign-in link holds no TaskRouter token.';
  if (grant.role !== 'admin' || grant.workerSid) return 'The wallboard needs an admin token naming no worker: ask for a supervisor’s sign-in link.';
  if (grant.expiresAt <= Date.now()) return 'This sign-in link has expired: ask for a new one.';
  const feedToken = async () => {
    // The server would refuse it too; saying so here tells the supervisor what to do instead of reconnecting forever.
    if (grant.expiresAt <= Date.now()) throw new ApiError(401, 20104, 'This sign-in link has expired: ask for a new one.');
    return credentials.token;
  };
  return { api: new Api(credentials), workspaceSid: grant.workspaceSid, feedToken };
}

/** A session of an API key or account pair on `workspaceSid`: its feed opens on admin tokens minted for it. */
export function basicSession(credentials: Credentials, workspaceSid: string): BoardSession {
  const api = new Api(credentials);
  return {
    api,
    workspaceSid,
    feedToken: async () =>
      (await api.post<{ token: string }>(`/v1/Workspaces/${workspaceSid}/Tokens`, { Role: 'admin', Ttl: FEED_TOKEN_TTL_SECONDS, Identity: 'wallboard' })).token,
  };
}

/** After a Basic sign-in: the workspace to show, picked at once when there is only one. */
export function WorkspacePicker(props: { credentials: Credentials; onPicked: (workspace: WorkspaceJson) => void }) {
  const [workspaces, setWorkspaces] = useState<WorkspaceJson[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    new Api(props.credentials)
      .list<WorkspaceJson>('/v1/Workspaces', 'workspaces')
      .then((list) => {
        if (list.length === 1) props.onPicked(list[0]!);
        setWorkspaces(list);
        setChosen(list[0]?.sid ?? '');
      })
      .catch((err: Error) => setError(err.message));
  }, [props.credentials]);
  if (error) return <Notice>{error}</Notice>;
  if (!workspaces) return <Notice kind="info">Reading the workspaces…</Notice>;
  if (workspaces.length === 0) return <Notice kind="info">There is no workspace yet: create one in the admin console.</Notice>;
  function submit(event: Event) {
    event.preventDefault();
    const workspace = workspaces?.find((w) => w.sid === chosen);
    if (workspace) props.onPicked(workspace);
  }
  return (
    <form class="sign-in card" onSubmit={submit} aria-labelledby="pick-title">
      <h1 id="pick-title">Which workspace?</h1>
      <label>
        Workspace
        <select value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
          {workspaces.map((w) => (
            <option key={w.sid} value={w.sid}>
              {w.friendly_name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Show the wallboard</button>
    </form>
  );
}
