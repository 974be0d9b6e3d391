import { useState } from 'preact/hooks';
import { loadCredentials, tokenGrant } from '../shared/credentials.ts';
import { mount, PageHeader } from '../shared/ui.tsx';
import { LiveCalls } from './listen/live-calls.tsx';

function Page() {
  const [credentials] = useState(() => loadCredentials('wallboard'));
  const grant = credentials?.kind === 'token' ? tokenGrant(credentials.token) : null;
  return (
    <>
      <PageHeader current="/wallboard" />
      <main>
        <h1>Wallboard</h1>
        {credentials && grant && <LiveCalls credentials={credentials} workspaceSid={grant.workspaceSid} />}
      </main>
    </>
  );
}

mount(<Page />);
