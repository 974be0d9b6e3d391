import { mount, PageHeader } from '../shared/ui.tsx';

function Page() {
  return (
    <>
      <PageHeader current="/admin" />
      <main>
        <h1>Admin console</h1>
      </main>
    </>
  );
}

mount(<Page />);
