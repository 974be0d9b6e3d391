import { mount, PageHeader } from '../shared/ui.tsx';

/** The start page: where each of Switchboard's pages is, and who it is for. */
function Home() {
  return (
    <>
      <PageHeader current="/" />
      <main class="grid home">
        <h1>Switchboard</h1>
        <ul class="grid">
          <li class="card">
            <a href="/agent">Agent desktop</a> — take calls, messages and tasks. Open it with the sign-in link an admin issues.
          </li>
          <li class="card">
            <a href="/wallboard">Wallboard</a> — queues and agents live, service level and waiting tasks.
          </li>
          <li class="card">
            <a href="/admin">Admin console</a> — workspaces, queues, workflows, workers, phone numbers and IVR menus.
          </li>
        </ul>
      </main>
    </>
  );
}

mount(<Home />);
