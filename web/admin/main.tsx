import { useState } from 'preact/hooks';
import { Api } from '../shared/api.ts';
import { forgetCredentials, loadCredentials, tokenGrant, type Credentials } from '../shared/credentials.ts';
import { mount, Notice, PageHeader, SignInForm } from '../shared/ui.tsx';
import { Console } from './console.tsx';
import './admin.css';

const PAGE = 'admin';

/**
 * The admin console: signed in with the API's credentials (an API key or the account pair, over HTTP Basic) for the
 * whole account, or with an admin token from a sign-in link (`/admin#token=…`) for that token's workspace.
 */
function AdminConsole() {
  const [credentials, setCredentials] = useState<Credentials | null>(() => loadCredentials(PAGE));
  function signOut() {
    forgetCredentials(PAGE);
    setCredentials(null);
  }
  if (!credentials) {
    return (
      <>
        <PageHeader current="/admin" />
        <main>
          <SignInForm
            page={PAGE}
            title="Admin console"
            verify={async (c) => void (await new Api(c).get('/v1/Workspaces', { PageSize: 1 }))}
            onSignedIn={setCredentials}
          />
        </main>
      </>
    );
  }
  const api = new Api(credentials);
  if (credentials.kind === 'token') {
    const grant = tokenGrant(credentials.token);
    if (grant?.role !== 'admin') {
      return (
        <>
          <PageHeader current="/admin" onSignOut={signOut} />
          <main>
            <Notice>This sign-in link is not an administrator's: sign out and sign in with an API key.</Notice>
          </main>
        </>
      );
    }
    return <Console api={api} who={grant.identity} onSignOut={signOut} workspaceSid={grant.workspaceSid} />;
  }
  return <Console api={api} who={credentials.user} onSignOut={signOut} workspaceSid={null} />;
}

mount(<AdminConsole />);
