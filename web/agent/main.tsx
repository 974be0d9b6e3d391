import { useState } from 'preact/hooks';
import { forgetCredentials, loadCredentials, tokenGrant, type Credentials } from '../shared/credentials.ts';
import { mount, Notice, PageHeader } from '../shared/ui.tsx';
import { Softphone } from './softphone/softphone.tsx';

/** The agent desktop: signed in with a worker token from a sign-in link (`/agent#token=…`). */
function AgentDesktop() {
  const [credentials, setCredentials] = useState<Credentials | null>(() => loadCredentials('agent'));
  const token = credentials?.kind === 'token' ? credentials.token : null;
  const grant = token ? tokenGrant(token) : null;
  function signOut() {
    forgetCredentials('agent');
    setCredentials(null);
  }
  if (!token || !grant?.workerSid) {
    return (
      <>
        <PageHeader current="/agent" />
        <main>
          <h1>Agent desktop</h1>
          <Notice kind="info">Open the sign-in link your administrator gave you.</Notice>
        </main>
      </>
    );
  }
  return (
    <>
      <PageHeader current="/agent" who={grant.identity} onSignOut={signOut} />
      <main>
        <h1>Agent desktop</h1>
        <Softphone token={token} />
      </main>
    </>
  );
}

mount(<AgentDesktop />);
