import { useState } from 'preact/hooks';
import { forgetCredentials, loadCredentials, tokenGrant, type Credentials } from '../shared/credentials.ts';
import { mount, Notice, PageHeader } from '../shared/ui.tsx';
import { Desk } from './desk.tsx';
import { useDeskSession } from './desk-session.ts';
import './agent.css';

/** The agent desktop: signed in with a worker token from a sign-in link (`/agent#token=…`). */
function AgentDesktop() {
  const [credentials, setCredentials] = useState<Credentials | null>(() => loadCredentials('agent'));
  const token = credentials?.kind === 'token' ? credentials.token : null;
  const grant = token ? tokenGrant(token) : null;
  function signOut() {
    forgetCredentials('agent');
    setCredentials(null);
  }
  if (!token || !grant?.workerSid || grant.expiresAt <= Date.now()) {
    return (
      <>
        <PageHeader current="/agent" />
        <main>
          <h1>Agent desktop</h1>
          <Notice kind={token ? 'error' : 'info'}>{signInHint(token, grant)}</Notice>
        </main>
      </>
    );
  }
  return <SignedIn token={token} identity={grant.identity} onSignOut={signOut} />;
}

function signInHint(token: string | null, grant: ReturnType<typeof tokenGrant>): string {
  if (!token) return 'Open the sign-in link your administrator gave you.';
  if (!grant?.workerSid) return "This sign-in link is not an agent's: ask your administrator for yours.";
  return 'Your sign-in has run out: open a new sign-in link from your administrator.';
}

/** The desk of a signed-in agent; signing out disconnects the worker (the server then sets it offline). */
function SignedIn(props: { token: string; identity: string; onSignOut: () => void }) {
  const session = useDeskSession(props.token);
  return (
    <>
      <PageHeader current="/agent" who={session.worker?.name || props.identity} onSignOut={props.onSignOut} />
      <main>
        <h1 class="visually-hidden">Agent desktop</h1>
        <Desk session={session} />
      </main>
    </>
  );
}

mount(<AgentDesktop />);
