import { useMemo, useState } from 'preact/hooks';
import { Api } from '../shared/api.ts';
import { forgetCredentials, loadCredentials, tokenGrant, type Credentials } from '../shared/credentials.ts';
import { mount, Notice, PageHeader, SignInForm } from '../shared/ui.tsx';
import { basicSession, tokenSession, WorkspacePicker } from './sign-in.tsx';
import { Wallboard } from './wallboard.tsx';
import type { WorkspaceJson } from './wire.ts';
import './wallboard.css';

const PAGE = 'wallboard';

/**
 * The supervisor wallboard: signed in with an admin token from a link (`/wallboard#token=…`), or with an API key or
 * the account pair, after which the supervisor picks a workspace.
 */
function WallboardPage() {
  const [credentials, setCredentials] = useState<Credentials | null>(() => loadCredentials(PAGE));
  const [workspace, setWorkspace] = useState<WorkspaceJson | null>(null);
  const session = useMemo(() => {
    if (!credentials) return null;
    if (credentials.kind === 'token') return tokenSession(credentials);
    return workspace ? basicSession(credentials, workspace.sid) : null;
  }, [credentials, workspace]);
  function signOut() {
    forgetCredentials(PAGE);
    setCredentials(null);
    setWorkspace(null);
  }
  const header = (who?: string) => <PageHeader current="/wallboard" who={who} onSignOut={credentials ? signOut : undefined} />;

  if (!credentials) {
    return (
      <>
        {header()}
        <main>
          <SignInForm
            page={PAGE}
            title="Wallboard"
            verify={async (c) => {
              await new Api(c).get('/v1/Workspaces', { PageSize: 1 });
            }}
            onSignedIn={setCredentials}
          />
        </main>
      </>
    );
  }
  if (typeof session === 'string') {
    return (
      <>
        {header()}
        <main>
          <Notice>{session}</Notice>
        </main>
      </>
    );
  }
  if (!session) {
    return (
      <>
        {header()}
        <main>
          <WorkspacePicker credentials={credentials} onPicked={setWorkspace} />
        </main>
      </>
    );
  }
  return (
    <>
      {header(workspace?.friendly_name ?? (credentials.kind === 'token' ? tokenGrant(credentials.token)?.identity : undefined))}
      <Wallboard key={session.workspaceSid} session={session} credentials={credentials} />
    </>
  );
}

mount(<WallboardPage />);
