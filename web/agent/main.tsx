import { mount, PageHeader } from '../shared/ui.tsx';

function Page() {
  return (
    <>
      <PageHeader current="/agent" />
      <main>
        <h1>Agent desktop</h1>
      </main>
    </>
  );
}

mount(<Page />);
